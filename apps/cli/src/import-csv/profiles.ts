import { existsSync, readFileSync, statSync } from 'node:fs';
import * as E from 'fp-ts/Either';
// Imported, not read from a path: tsc copies them into dist beside the code, so a build runs anywhere.
import custodianStatement from '../../profiles/custodian-statement.json';
import dailyPrices from '../../profiles/daily-prices.json';
import exchangeFills from '../../profiles/exchange-fills.json';
import poolPayouts from '../../profiles/pool-payouts.json';
import { CsvProfile, MAX_PROFILE_BYTES, decodeProfile, decodeProfileJson } from './profile.codec';

/** The profiles shipped with the CLI, by name. */
export const SHIPPED_PROFILES: Readonly<Record<string, unknown>> = {
  'pool-payouts': poolPayouts,
  'exchange-fills': exchangeFills,
  'custodian-statement': custodianStatement,
  'daily-prices': dailyPrices,
};

const problems = (errors: ReadonlyArray<{ readonly path: string; readonly message: string }>): string =>
  errors.map((e) => `${e.path === '' ? '(profile)' : e.path} ${e.message}`).join('; ');

/** `--profile`: a shipped profile's name, or the path of a profile JSON file. */
export const loadProfile = (nameOrPath: string): E.Either<string, CsvProfile> => {
  const shipped = Object.prototype.hasOwnProperty.call(SHIPPED_PROFILES, nameOrPath) ? SHIPPED_PROFILES[nameOrPath] : undefined;
  if (shipped !== undefined)
    return E.mapLeft((errors: ReadonlyArray<{ path: string; message: string }>) => `shipped profile "${nameOrPath}": ${problems(errors)}`)(
      decodeProfileJson(shipped),
    );
  if (!existsSync(nameOrPath) || !statSync(nameOrPath).isFile()) {
    return E.left(
      `--profile "${nameOrPath}" is neither a shipped profile (${Object.keys(SHIPPED_PROFILES).join(', ')}) nor a profile file`,
    );
  }
  if (statSync(nameOrPath).size > MAX_PROFILE_BYTES)
    return E.left(`profile ${nameOrPath}: a profile must be at most ${MAX_PROFILE_BYTES} bytes`);
  return E.mapLeft((errors: ReadonlyArray<{ path: string; message: string }>) => `profile ${nameOrPath}: ${problems(errors)}`)(
    decodeProfile(readFileSync(nameOrPath, 'utf8')),
  );
};
