// The virtual module vite.config.ts generates from schema/circuit.schema.json (ajv standalone code).
declare module 'virtual:simcore-circuit-validator' {
  export const validate: ((data: unknown) => boolean) & { errors?: unknown[] | null };
}
