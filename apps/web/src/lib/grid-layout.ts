/**
 * Column and row sizes of the map grid in CSS pixels at 100% zoom. Fixed stage widths keep
 * the emotion curve's points over their columns and make "fit to screen" a division.
 */
export const LANE_HEADER_WIDTH = 200;
export const STAGE_WIDTH = 264;
export const ADD_STAGE_WIDTH = 64;

export function gridWidth(stages: number): number {
  return LANE_HEADER_WIDTH + stages * STAGE_WIDTH + ADD_STAGE_WIDTH;
}
