/** The event catalogue: zod schemas, the one source for every event that flows. Imports nothing of the project. */
export * from './referral-event.js';
export * from './feedback-message.js';
export * from './stream-records.js';
export * from './scheduled-event.js';
export * from './api-gateway.js';
export * from './fhir-message.js';
