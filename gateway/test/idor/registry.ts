import type { Identity } from '@shop/platform';
import type { GraphQLAnswer } from '@shop/platform/testing';
import type { IdorTarget } from './discovery';

/** Someone calling in the matrix: owner A, an intruder, or a guest. */
export interface Actor {
  readonly name: string;
  readonly identity: Identity;
  /** What the gateway gets: a bearer token, or nothing for a guest. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One GraphQL operation with its variables. */
export interface Operation {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The ids of A's object, named as the fixture's operation (or the entity's @key) uses them. */
export type Ids = Readonly<Record<string, string>>;

/** A's object as a fixture created it. */
export interface OwnedObject {
  readonly ids: Ids;
  /** Values only A's object has (its ids, a distinctive name): none may show in an intruder's answer. */
  readonly secrets: readonly string[];
  /**
   * Ids the call needs that are not A's (a public variant to put in a cart): passed as they are
   * both in the call on A's object and in the call on random ids, so only A's ids differ.
   */
  readonly shared?: Ids;
}

/** What a fixture gets to create and read A's object. */
export interface FixtureTools<Services> {
  /** Owner A, signed in with the fixture's `owner` role. */
  readonly owner: Actor;
  /** Runs an operation through the gateway, as the owner unless told otherwise. */
  gateway(operation: Operation, as?: Actor): Promise<GraphQLAnswer>;
  /** A string no other call in the run uses (SKUs, slugs). */
  unique(): string;
  /** Direct access for what the API cannot do (e.g. give a seller a market). */
  readonly services: Services;
}

/**
 * Who may reach an object, which decides what an intruder must get:
 * - `private`: only its owner (and staff) may know it exists. An intruder gets exactly what a random
 *   id gets (NOT_FOUND or null; a guest may get UNAUTHENTICATED), never FORBIDDEN, never A's data.
 * - `public-read`: anyone reads it (the catalog). The intruder must get A's object, so the
 *   classification stays true; this is a statement that the field is public, not a skip.
 * - `owner-write`: a publicly readable object only its owner or staff may change. The intruder is
 *   refused (FORBIDDEN, UNAUTHENTICATED or NOT_FOUND; FORBIDDEN reveals nothing the public read
 *   does not) and the object is unchanged.
 * - `staff-only`: role-gated; refused with FORBIDDEN or UNAUTHENTICATED, and nothing changes.
 */
export type Access = 'private' | 'public-read' | 'owner-write' | 'staff-only';

interface FixtureBase<Services> {
  /** The role A signs in with. A seller's object is also attacked by a second seller. */
  readonly owner: 'CUSTOMER' | 'SELLER';
  create(tools: FixtureTools<Services>): Promise<OwnedObject>;
  /**
   * Codes a missing object answers with instead of NOT_FOUND where the schema says so (payOrder: an
   * order payments has not heard of yet is INVALID_TRANSITION). An intruder may then get them on a
   * private object too, but still only exactly as a random id does.
   */
  readonly missingCodes?: readonly string[];
}

/** How the matrix exercises a Query or Mutation field. */
export interface FieldFixture<Services> extends FixtureBase<Services> {
  readonly access: Access;
  /** The call under test aimed at `ids` (A's, or random ones to compare with); `unique` differs per call. */
  operation(ids: Ids, unique: string): Operation;
  /** Required for mutations: A's object as it stands, compared before and after the intruders' calls. */
  readBack?(owned: OwnedObject, tools: FixtureTools<Services>): Promise<unknown>;
  /**
   * For a read whose answer names nothing of A's (shipping quotes priced from A's cart): whether the
   * owner's own answer reached A's object. Without it, that answer must hold one of the `secrets`.
   */
  readonly ownerReached?: (answer: GraphQLAnswer, owned: OwnedObject) => boolean;
}

/** How the matrix exercises an entity through `_entities` on its subgraphs. */
export interface EntityFixture<Services> extends FixtureBase<Services> {
  readonly access: 'private' | 'public-read';
  /**
   * The fields asked for: one selection for every subgraph, or one per subgraph name when they
   * resolve different fields of the entity. The representation takes the @key fields from `ids`.
   */
  readonly selection: string | Readonly<Record<string, string>>;
}

/** Fixtures keyed like the discovered targets: `Query.x`, `Mutation.x`, `Entity.X`. */
export type FixtureRegistry<Services> = {
  readonly [key: `Query.${string}`]: FieldFixture<Services>;
  readonly [key: `Mutation.${string}`]: FieldFixture<Services>;
  readonly [key: `Entity.${string}`]: EntityFixture<Services>;
};

/** Targets the matrix deliberately leaves out, each with the reason. */
export type Exemptions = Readonly<Record<string, string>>;

/** What is wrong with a registry against the schema; all empty when it covers the schema exactly. */
export interface Coverage {
  /** Discovered targets with neither a fixture nor an exemption, with where their ids sit. */
  readonly uncovered: string[];
  /** Fixtures or exemptions for targets the schema no longer has. */
  readonly stale: string[];
  /** Exemptions without a reason. */
  readonly unexplained: string[];
  /** Targets with both a fixture and an exemption. */
  readonly doubled: string[];
}

/** Compares a registry with the discovered targets. */
export function checkCoverage(targets: readonly IdorTarget[], fixtures: object, exemptions: Exemptions): Coverage {
  const fixtureKeys = new Set(Object.keys(fixtures));
  const exemptKeys = new Set(Object.keys(exemptions));
  const targetKeys = new Set(targets.map((target) => target.key));
  return {
    uncovered: targets.filter((t) => !fixtureKeys.has(t.key) && !exemptKeys.has(t.key)).map(describeTarget),
    stale: [...fixtureKeys, ...exemptKeys].filter((key) => !targetKeys.has(key)),
    unexplained: Object.entries(exemptions).filter(([, reason]) => reason.trim() === '').map(([key]) => key),
    doubled: [...fixtureKeys].filter((key) => exemptKeys.has(key)),
  };
}

function describeTarget(target: IdorTarget): string {
  if (target.kind === 'Entity') return `${target.key} (@key ${target.keyFields.join(' ')} on ${target.subgraphs.join(', ')})`;
  return `${target.key} (ids at ${target.idPaths.join(', ')})`;
}
