import { BusinessError } from '../errors/business-error';

/** The BusinessError `work` rejects with; throws (failing the test) when it resolves or rejects otherwise. */
export async function businessErrorOf(work: Promise<unknown>): Promise<BusinessError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof BusinessError) return error;
    throw new Error(`expected a BusinessError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a BusinessError, but the call succeeded');
}
