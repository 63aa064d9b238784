import type { Cut } from '../types';

/** asOf (a date: the end of that day in the book's zone) and knownAt (now, or as known at the end of a date). */
export const CutPicker = ({ cut, timeZone, onChange }: { cut: Cut; timeZone: string; onChange: (cut: Cut) => void }) => {
  const then = cut.knownAt !== '';
  return (
    <fieldset class="cut">
      <legend>Figures at</legend>
      <label>
        As of (end of day, {timeZone}){' '}
        <input
          type="date"
          name="asOf"
          value={cut.asOf}
          onChange={(e) => onChange({ ...cut, asOf: (e.target as HTMLInputElement).value })}
        />
      </label>
      <span role="radiogroup" aria-label="Known at">
        <label>
          <input type="radio" name="known" value="now" checked={!then} onChange={() => onChange({ ...cut, knownAt: '' })} /> as known now
        </label>
        <label>
          <input
            type="radio"
            name="known"
            value="then"
            checked={then}
            onChange={() => onChange({ ...cut, knownAt: cut.asOf === '' ? new Date().toISOString().slice(0, 10) : cut.asOf })}
          />{' '}
          as known then
        </label>
      </span>
      {then && (
        <label>
          Known at (end of day){' '}
          <input
            type="date"
            name="knownAt"
            value={cut.knownAt}
            onChange={(e) => onChange({ ...cut, knownAt: (e.target as HTMLInputElement).value })}
          />
        </label>
      )}
    </fieldset>
  );
};
