/** The model's seeded generator, for the fuzz tests and benchmarks: a failing run replays exactly from its seed. */
export { pick, seededRandom } from '@waymark/model';
