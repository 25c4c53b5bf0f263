import { errorCodes, type GraphQLAnswer } from '@shop/platform/testing';
import type { Access, Ids, OwnedObject } from './registry';

/** An intruder's answers for one target: on A's object, and (private objects) on random ids. */
export interface IntruderAnswers {
  readonly guest: boolean;
  readonly onOwned: GraphQLAnswer<unknown>;
  readonly onMissing?: { readonly answer: GraphQLAnswer<unknown>; readonly ids: Ids };
  /** Codes a missing object answers with besides NOT_FOUND (see `missingCodes` in registry.ts). */
  readonly missingCodes?: readonly string[];
}

const REFUSALS: Readonly<Record<Exclude<Access, 'public-read'>, readonly string[]>> = {
  private: ['NOT_FOUND'],
  'owner-write': ['FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND'],
  'staff-only': ['FORBIDDEN', 'UNAUTHENTICATED'],
};

/** What is wrong with an intruder's answer for an object of this `access`; empty when it is right. */
export function judge(access: Access, owned: OwnedObject, answers: IntruderAnswers): string[] {
  if (access === 'public-read') return judgePublic(owned, answers.onOwned);
  const problems = leakedSecrets(owned, answers.onOwned);
  const refusals = access === 'private' ? [...REFUSALS[access], ...(answers.missingCodes ?? [])] : REFUSALS[access];
  const allowed = answers.guest ? [...refusals, 'UNAUTHENTICATED'] : refusals;
  const unexpected = errorCodes(answers.onOwned).filter((code) => !allowed.includes(code));
  if (unexpected.length > 0) problems.push(`answered ${unexpected.join(', ')}; expected only ${allowed.join(' or ')}`);
  if (access !== 'private' && errorCodes(answers.onOwned).length === 0) problems.push('was not refused');
  if (answers.onMissing) problems.push(...unlikeMissing(owned.ids, answers.onOwned, answers.onMissing));
  return problems;
}

function judgePublic(owned: OwnedObject, answer: GraphQLAnswer<unknown>): string[] {
  const codes = errorCodes(answer);
  if (codes.length > 0) return [`a public read failed with ${codes.join(', ')}`];
  const visible = owned.secrets.some((secret) => answer.text.includes(secret));
  return visible ? [] : ['a public read did not return A\'s object: the "public-read" classification is wrong'];
}

function leakedSecrets(owned: OwnedObject, answer: GraphQLAnswer<unknown>): string[] {
  return owned.secrets.filter((secret) => answer.text.includes(secret)).map((secret) => `A's data in the answer: ${secret}`);
}

/** Another's object answers exactly like a missing one (CONTRACT.md, "Conventions"). */
function unlikeMissing(ids: Ids, onOwned: GraphQLAnswer<unknown>, onMissing: { answer: GraphQLAnswer<unknown>; ids: Ids }): string[] {
  const owned = shapeOf(onOwned, ids);
  const missing = shapeOf(onMissing.answer, onMissing.ids);
  return owned === missing ? [] : [`answers unlike a missing object: ${owned} where a random id gets ${missing}`];
}

/** Status, data and errors, with the ids asked for replaced, so two answers compare as text. */
export function shapeOf(answer: GraphQLAnswer<unknown>, ids: Ids): string {
  const errors = (answer.errors ?? []).map((error) => ({ message: error.message, path: error.path, code: error.extensions?.code }));
  const text = JSON.stringify({ status: answer.status, data: answer.data ?? null, errors });
  return Object.values(ids).reduce((shape, id) => shape.replaceAll(id, '<id>'), text);
}
