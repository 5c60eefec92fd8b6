// Writes charts/riffle-operator/templates/_permissions.tpl from operator/src/permissions.ts.
// Run after changing the operator's permissions: node hack/chart/gen-permissions.ts
import { writeFileSync } from 'node:fs';
import { PERMISSIONS_TEMPLATE, renderPermissionsTemplate } from './permissions-template.ts';

writeFileSync(PERMISSIONS_TEMPLATE, renderPermissionsTemplate());
console.log(`wrote ${PERMISSIONS_TEMPLATE}`);
