// `npm run crds`: writes the StreamJob CRD to crds/ and charts/riffle-operator/crds/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { CRD_FILES, renderCrdYaml } from './crd-files.ts';

const yaml = renderCrdYaml();
for (const file of CRD_FILES) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, yaml);
  console.log(`wrote ${relative(process.cwd(), file)}`);
}
