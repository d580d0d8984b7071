/** Why a room could not be loaded, or refuses a write for now; told to the clients that were waiting for it. */
export class RoomLoadError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
    this.name = 'RoomLoadError';
  }
}
