/** A workshop timer in words and figures: "4:59", "0:00", "+1:20 over". */

const minutesAndSeconds = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * `remainingMs` as the bar shows it. Seconds left are rounded up, so a fresh 5-minute item reads
 * 5:00 and the last second 0:01; zero reads 0:00; past zero it counts up as "+m:ss over".
 */
export function formatCountdown(remainingMs: number): string {
  if (remainingMs > 0) return minutesAndSeconds(Math.ceil(remainingMs / 1000));
  const over = Math.floor(-remainingMs / 1000);
  return over === 0 ? '0:00' : `+${minutesAndSeconds(over)} over`;
}

/** How long until `formatCountdown(remainingMs)` shows something else, so a tick lands on the change. */
export function msUntilNextSecond(remainingMs: number): number {
  const into = ((remainingMs % 1000) + 1000) % 1000;
  return into === 0 ? 1000 : into;
}

/** The time left read aloud: "4 minutes 59 seconds left", "1 minute 20 seconds over". */
export function spokenCountdown(remainingMs: number): string {
  const over = remainingMs <= 0;
  const seconds = over ? Math.floor(-remainingMs / 1000) : Math.ceil(remainingMs / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [m > 0 ? `${m} minute${m === 1 ? '' : 's'}` : '', s > 0 || m === 0 ? `${s} second${s === 1 ? '' : 's'}` : ''].filter(
    Boolean,
  );
  if (over) return seconds === 0 ? 'time is up' : `${parts.join(' ')} over`;
  return `${parts.join(' ')} left`;
}
