// ajv's standalone code for schema/circuit.schema.json (draft 2020-12), as an
// ES module exporting `validate` (used by vite.config.ts at build time).
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

export function compileCircuitValidator(schema: object): string {
  const ajv = new Ajv2020({ code: { source: true, esm: true }, strict: true, allErrors: false });
  const validate = ajv.compile(schema);
  return standaloneCode(ajv, validate);
}
