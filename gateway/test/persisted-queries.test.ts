import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, parse, validate } from 'graphql';
import { SUPERGRAPH_PATH } from '../src';
import { operationHash, parseManifest } from '../src/edge/persisted-queries';
import { PERSISTED_QUERIES_DIR } from '../src/subgraphs';
import { buildManifest } from '../src/tools/persisted-manifest';

// The supergraph declares every join__/link__ directive it uses, so it builds as plain SDL.
const supergraph = buildASTSchema(parse(readFileSync(SUPERGRAPH_PATH, 'utf8')), { assumeValidSDL: true });
const manifests = readdirSync(PERSISTED_QUERIES_DIR).filter((name) => name.endsWith('.json'));

describe('partner safelists (schemas/persisted-queries)', () => {
  test('issue 9: the demo partner has a safelist', () => {
    expect(manifests).toContain('demo-partner.json');
  });

  test.each(manifests)('issue 9: every operation of %s still validates against the supergraph, under the id of its body', (file) => {
    const manifest = parseManifest(readFileSync(path.join(PERSISTED_QUERIES_DIR, file), 'utf8'), file);
    const problems = manifest.operations.flatMap((operation) => [
      ...(operationHash(operation.body) === operation.id ? [] : [`${operation.name}: id is not the SHA-256 of the body`]),
      ...validate(supergraph, parse(operation.body)).map((error) => `${operation.name}: ${error.message}`),
    ]);
    expect(problems).toEqual([]);
  });

  test.each(manifests)('issue 9: %s is what `npm run manifest` generates from its operation files', (file) => {
    const dir = path.join(PERSISTED_QUERIES_DIR, path.basename(file, '.json'));
    const sources = readdirSync(dir).filter((name) => name.endsWith('.graphql')).map((name) => path.join(dir, name));
    expect(parseManifest(readFileSync(path.join(PERSISTED_QUERIES_DIR, file), 'utf8'), file)).toEqual(buildManifest(sources));
  });

  test('issue 9: an operation on a field the supergraph no longer has fails validation', () => {
    const stale = 'query Stale { products(first: 1) { edges { node { id discontinuedField } } } }';
    expect(validate(supergraph, parse(stale)).map((error) => error.message)).toEqual([expect.stringContaining('discontinuedField')]);
  });
});
