// Validates RDF documents against SHACL shapes with rdf-validate-shacl, for the catalog's DCAT tests.
// usage: node validate.mjs DATA.ttl SHAPES.ttl [SHAPES.ttl ...]
// Prints {"conforms": bool, "results": [{severity, focusNode, path, value, message, sourceShape}]}.
import rdf from '@zazuko/env-node'
import SHACLValidator from 'rdf-validate-shacl'

const [dataPath, ...shapePaths] = process.argv.slice(2)
const shapes = rdf.dataset()
for (const path of shapePaths) shapes.addAll(await rdf.dataset().import(rdf.fromFile(path)))
const data = await rdf.dataset().import(rdf.fromFile(dataPath))
const validator = new SHACLValidator(shapes, { factory: rdf })
const report = await validator.validate(data)
const term = t => (t ? t.value : null)
console.log(JSON.stringify({
  conforms: report.conforms,
  results: report.results.map(r => ({
    severity: term(r.severity),
    focusNode: term(r.focusNode),
    path: term(r.path),
    value: term(r.value),
    message: r.message.map(m => m.value),
    sourceShape: term(r.sourceShape),
  })),
}))
