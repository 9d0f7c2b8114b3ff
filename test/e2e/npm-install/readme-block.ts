// The code block a README marks for running: the first fenced block after the comment
// `<!-- <id> … -->`. A README without the marker, or without a block after it, is an error that
// names the id, so a quick start cannot silently stop being tested.

export function readmeBlock(readme: string, id: string): string {
  const marker = readme.indexOf(`<!-- ${id} `);
  if (marker === -1) throw new Error(`no <!-- ${id} … --> marker in the README`);
  const fence = /^```[a-z]*\n([\s\S]*?)^```$/m.exec(readme.slice(marker));
  if (fence?.[1] === undefined) throw new Error(`no fenced code block after <!-- ${id} … -->`);
  return fence[1];
}
