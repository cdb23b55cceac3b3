// mermaid-parse.mjs - parse Mermaid files with Mermaid's own parser (no
// rendering): node mermaid-parse.mjs MODULES_DIR FILE...
// MODULES_DIR holds node_modules with mermaid and jsdom (scripts/
// install-deps.sh puts them in /usr/local/lib/conlink-mermaid); jsdom gives
// the window the sanitizer Mermaid loads wants. Prints "FILE: ok" or
// "FILE: parse error ..." per file; exit 1 when any fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [dir, ...files] = process.argv.slice(2);
const req = createRequire(dir + '/package.json');
const { JSDOM } = req('jsdom');
const dom = new JSDOM('');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import(pathToFileURL(req.resolve('mermaid')).href)).default;
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of files) {
  try {
    const r = await mermaid.parse(readFileSync(f, 'utf8'));
    console.log(`${f}: ok ${r.diagramType}`);
  } catch (e) {
    console.log(`${f}: parse error ${e.message}`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
