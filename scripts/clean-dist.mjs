// Removes the package's dist/ before tsc writes it again, so files of deleted or renamed sources
// never linger there and get published (`files` ships all of dist/). Run from a package folder.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
