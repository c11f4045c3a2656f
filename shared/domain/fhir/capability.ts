/**
 * The CapabilityStatement: exactly what the facade supports, and nothing it does not (no
 * create/update of resources, no other search parameters, no other resource types).
 */
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { BARS_MESSAGE_EVENTS, REQUEST_EVENT } from './codes.js';

export const FHIR_BASE = '/fhir/R4';

export function capabilityStatement(date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    name: 'AmhpReferralHubFhirFacade',
    title: 'AMHP Referral Hub: FHIR R4 facade (BaRS-shaped referral intake, status and feedback)',
    implementation: { description: 'AMHP Referral Hub FHIR R4 facade', url: FHIR_BASE },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }] },
          ],
          description:
            'OAuth 2.0 client credentials (the Hub token endpoint); ' +
            'scopes referrals.write and referrals.read; role referrer.',
        },
        resource: [
          {
            type: 'Task',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              {
                name: '_lastUpdated',
                type: 'date',
                documentation: 'gt or ge an instant: your own referrals changed since then',
              },
              { name: '_count', type: 'number' },
            ],
          },
          { type: 'ServiceRequest', interaction: [{ code: 'read' }] },
        ],
        operation: [
          {
            name: 'process-message',
            definition: 'http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message',
          },
        ],
      },
    ],
    messaging: [
      {
        documentation:
          'POST a Bundle of type message to $process-message; X-Request-ID is the retry key, ' +
          'X-Correlation-ID is kept. ' +
          'Feedback: a webhook subscription with format fhir receives a Bundle (MessageHeader + Task) per event.',
        supportedMessage: [{ mode: 'receiver', definition: `${BARS_MESSAGE_EVENTS}#${REQUEST_EVENT}` }],
      },
    ],
  };
}
