// A pass or action the engine refuses before doing anything, with a catalog code.
import { formatMessage } from '../errors/catalog';

export class EngineRefusal extends Error {
  constructor(
    readonly code: string,
    readonly args: string[],
    /** 'usage' when the operator named something that does not exist (exit 2 on the command line). */
    readonly kind: 'refused' | 'usage' = 'refused',
  ) {
    super(formatMessage(code, args));
    this.name = 'EngineRefusal';
  }
}
