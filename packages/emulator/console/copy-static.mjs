// Copies the console's static files (index.html, style.css) next to its compiled modules in
// dist/console-ui. Run from packages/emulator after `tsc -p console/tsconfig.json`.
import { cpSync } from 'node:fs';

cpSync('console/static', 'dist/console-ui', { recursive: true });
