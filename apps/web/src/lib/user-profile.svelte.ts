import { isColour, newId } from '@waymark/model';

/** Colours people are drawn in: distinct, readable as outlines and on white. */
export const PRESENCE_COLOURS = ['#e11d48', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4f46e5'] as const;

const STORAGE_KEY = 'waymark.profile';
const MAX_NAME_LENGTH = 40;

interface StoredProfile {
  id: string;
  name: string;
  colour: string;
}

function decodeProfile(raw: string | null): StoredProfile | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    const { id, name, colour } = record;
    if (typeof id !== 'string' || typeof name !== 'string' || !isColour(colour)) return null;
    return { id, name: name.slice(0, MAX_NAME_LENGTH), colour };
  } catch {
    return null;
  }
}

/**
 * Who this browser is on every map: a stable id (the author of their cards and the origin
 * their undo history tracks), the name others see and a colour. Chosen once, remembered.
 */
export class UserProfile {
  readonly id: string;
  #name = $state('');
  #colour = $state<string>(PRESENCE_COLOURS[0]);
  #chosen = $state(false);

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    const stored = decodeProfile(storage?.getItem(STORAGE_KEY) ?? null);
    this.id = stored?.id ?? newId();
    this.#name = stored?.name ?? '';
    this.#chosen = stored !== null && stored.name !== '';
    this.#colour = stored?.colour ?? PRESENCE_COLOURS[Math.floor(Math.random() * PRESENCE_COLOURS.length)]!;
    if (!stored) this.#save();
  }

  /** The name shown to others; "Guest" until the person picks one. */
  get name(): string {
    return this.#name || 'Guest';
  }

  get colour(): string {
    return this.#colour;
  }

  /** Whether the person has ever picked a name (otherwise the app asks once). */
  get hasChosenName(): boolean {
    return this.#chosen;
  }

  rename(name: string): void {
    const trimmed = name.trim().slice(0, MAX_NAME_LENGTH);
    if (trimmed === '') return;
    this.#name = trimmed;
    this.#chosen = true;
    this.#save();
  }

  recolour(colour: string): void {
    if (!isColour(colour)) return;
    this.#colour = colour;
    this.#save();
  }

  #save(): void {
    const profile: StoredProfile = { id: this.id, name: this.#name, colour: this.#colour };
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(profile));
    } catch {
      // Storage full or blocked: the name still works for this visit.
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

let shared: UserProfile | null = null;

/** One profile per tab, so every map and the home page agree on who you are. */
export function userProfile(): UserProfile {
  shared ??= new UserProfile();
  return shared;
}
