import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { images } from '../../constructs/catalog';

// The CoreDNS image tag names exactly one build. Nodes keep an image they already have
// (IfNotPresent), so a changed build under an old tag would leave some nodes on the old binary,
// which may refuse the new Corefile (an unknown plugin stops CoreDNS at start).
const here = join(__dirname, '../../images/coredns');

function recordedTag(): { tag: string; recipe: string } {
  const line = readFileSync(join(here, 'tag.txt'), 'utf8')
    .split('\n')
    .find((l) => l.trim() !== '' && !l.startsWith('#'));
  const [tag, recipe] = (line ?? '').trim().split(/\s+/);
  return { tag, recipe };
}

describe('the CoreDNS image tag', () => {
  it('is the tag images/coredns/tag.txt records', () => {
    expect(images.coredns.version).toBe(recordedTag().tag);
  });

  it('was cut from the current build recipe (bump the tag when main.go, plugin/ or go.mod change)', () => {
    const current = execFileSync('bash', [join(here, 'recipe-hash.sh')], { encoding: 'utf8' }).trim();
    const { tag, recipe } = recordedTag();
    expect(
      current,
      `images/coredns changed since ${tag} was built (recipe ${recipe}, now ${current}). ` +
        'Build and push a new tag, then set it in constructs/catalog.ts (images.coredns.version) and in images/coredns/tag.txt with the new recipe hash.',
    ).toBe(recipe);
  });

  it("starts with the CoreDNS version go.mod pins", () => {
    const goMod = readFileSync(join(here, 'go.mod'), 'utf8');
    const coredns = /^\s+github\.com\/coredns\/coredns v(\S+)$/m.exec(goMod)?.[1];
    expect(coredns).toBeDefined();
    expect(images.coredns.version.startsWith(`${coredns}-`)).toBe(true);
  });
});
