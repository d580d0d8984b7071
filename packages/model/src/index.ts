// Public API of @waymark/model: the journey map document over a Y.Doc.

export { TOP_LEVEL_KEYS, topLevelMap, type TopLevelKey, type RecordCollection } from './doc-keys.js';
export { newId, isValidId } from './ids.js';
export { isColour } from './records/fields.js';
export { orderBetween, orderKeysBetween, isValidOrderKey, compareByOrder, type OrderedRecord } from './order.js';
export type { Placement } from './placement.js';
export {
  type Origin,
  type OriginKind,
  localOrigin,
  remoteOrigin,
  serverOrigin,
  migrationOrigin,
  importOrigin,
  defaultLocalOrigin,
  isOrigin,
} from './origin.js';
export type { Problem } from './problems.js';

export {
  META_DEFAULTS,
  readMeta,
  SCORE_FACTORS,
  DEFAULT_SCORE_WEIGHTS,
  MAX_SCORE_WEIGHT,
  DEFAULT_REVIEW_INTERVAL_DAYS,
  MAX_REVIEW_INTERVAL_DAYS,
  MAX_CALIBRATION_POINTS,
  MAX_CURRENCY_LENGTH,
  type MapMeta,
  type MetaPatch,
  type CalibrationPoint,
  type ScoreFactor,
  type ScoreWeights,
} from './records/meta.js';
export {
  KNOWN_METRICS,
  MAX_METRIC_NAME,
  METRIC_SOURCES,
  metricKind,
  betterDirection,
  metricValueProblem,
  readMetrics,
  stageFigures,
  latestValue,
  dataRefreshedAt,
  nextReviewDate,
  staleStages,
  dayOf,
  type Metric,
  type MetricKind,
  type MetricSource,
  type StageFigure,
} from './records/metric.js';
export {
  addMetric,
  addMetrics,
  updateMetric,
  deleteMetric,
  type MetricInput,
  type MetricPatch,
  type MetricImport,
} from './writes/metrics.js';
export {
  SOURCE_KINDS,
  SOURCE_KIND_LABELS,
  MAX_SOURCES_PER_CARD,
  MAX_SOURCE_TEXT,
  MAX_JUDGEMENT,
  isSourceUrl,
  sourceProblem,
  type EvidenceSource,
  type SourceKind,
} from './records/card-insight.js';
export {
  calibrationLine,
  stageImpacts,
  formatMoney,
  formatFigure,
  revenueWorking,
  csatPointWorking,
  type Calibration,
  type StageImpact,
  type ImpactSettings,
} from './impact.js';
export {
  scoreCards,
  scoreFormula,
  SCORED_LANE_KINDS,
  SCORE_FACTOR_LABELS,
  SCORE_FACTOR_RULES,
  type ScoringCard,
  type ScoringInputs,
  type ScoredCard,
  type FactorScore,
} from './scoring.js';
export { readStages, type Stage, type MetricValue } from './records/stage.js';
export { LANE_KINDS, LANE_KIND_LABELS, isLaneKind, readLanes, type Lane, type LaneKind } from './records/lane.js';
export {
  EVIDENCE_LEVELS,
  DEFAULT_EVIDENCE,
  DEFAULT_CARD_COLOUR,
  isEvidence,
  cardMatchesFilter,
  readCards,
  cardText,
  type Card,
  type CardFilter,
  type CardPatch,
  type Evidence,
} from './records/card.js';
export { DEFAULT_PERSONA_COLOUR, readPersonas, type Persona, type PersonaInput, type PersonaPatch } from './records/persona.js';
export {
  EMOTION_MIN,
  EMOTION_MAX,
  readEmotions,
  roundedMean,
  emotionKey,
  type EmotionPoint,
  type EmotionInput,
} from './records/emotion.js';
export { readMap, type MapSnapshot } from './read-map.js';
export {
  RECORD_COLLECTIONS,
  REQUIRED_FIELDS,
  SERVER_OWNED_META,
  isRecordCollection,
  recordProblem,
  recordFieldProblem,
  metricProblem,
  metaFieldProblem,
  emotionProblem,
  isParticipantRating,
  isEmotionKey,
  isRecordField,
  isEditableMetaField,
  type RecordCollectionKey,
  type WrittenValue,
} from './write-schema.js';
export { changedRecordIds, readCardsById, type DeepEvent } from './read-changes.js';
export { cardContext, type CardContext } from './records/card.js';
export { shiftPosition, shiftSelection, type TextDeltaOp, type TextSelection } from './text-caret.js';
export { spliceAtCaret, type TextSplice } from './text-edit.js';

export { setMeta } from './writes/meta.js';
export { addStage, renameStage, moveStage, setStageMetrics, deleteStage, type StageInput } from './writes/stages.js';
export { addLane, renameLane, moveLane, deleteLane, type LaneInput } from './writes/lanes.js';
export { addCard, moveCard, updateCard, deleteCard, type CardInput, type CardMove } from './writes/cards.js';
export { spliceCardText } from './writes/card-text.js';
export { addPersona, updatePersona, deletePersona } from './writes/personas.js';
export { setEmotion, clearEmotion, adoptMeanEmotions } from './writes/emotions.js';
export { createMapFromTemplate, type CreateMapInput } from './create-map.js';

export {
  SCHEMA_VERSION,
  MIGRATIONS,
  NewerSchemaError,
  migrateDoc,
  isNewerSchema,
  storedSchemaVersion,
  type Migration,
  type MigrationResult,
} from './migrations.js';
export { TEMPLATES, templateIds, isTemplateId, templateById, type MapTemplate, type TemplateId } from './templates/index.js';
export {
  exportMap,
  checkMapExport,
  writeMapState,
  MapImportError,
  EXPORT_FORMAT,
  type MapExport,
  type ExportedRecord,
} from './map-export.js';
export { diffMaps, isEmptyDiff, type MapDiff, type StructureDiff, type CardMove as CardMoveDiff, type CardChange } from './map-diff.js';
export {
  holderOf,
  topLevelNameOf,
  topLevelTypes,
  everHadKey,
  entryWriter,
  holdsContent,
  hasPending,
  pendingUpdate,
  dropPending,
  trimValueArrays,
  dropSelfListeners,
} from './yjs-adapter.js';
export {
  readWorkshop,
  timerRemaining,
  agendaFinished,
  isAwarenessClientId,
  FOCUS_KINDS,
  type Workshop,
  type AgendaItem,
  type AgendaRun,
  type Facilitator,
  type FocusKind,
  type WorkshopTimer,
  type ParkedTopic,
} from './records/workshop.js';
export { seededRandom, pick } from './seeded-random.js';
export {
  readRounds,
  readRoundScope,
  cardInScope,
  cellInScope,
  voteTotals,
  ROUND_KINDS,
  MAX_KEPT_RESULTS,
  type Rounds,
  type OpenRound,
  type RoundResult,
  type RoundKind,
  type RoundScope,
} from './records/rounds.js';
export { plural, agendaVerdict, roundHeading, voterNames, type AgendaLineFacts, type RoundFacts } from './workshop-words.js';
export {
  readActions,
  isOverdue,
  isUnowned,
  isDueDate,
  ACTION_STATUSES,
  ACTION_STATUS_LABELS,
  type Action,
  type ActionStatus,
} from './records/action.js';
export { addAction, updateAction, deleteAction, addActionForCard, type ActionInput, type ActionPatch } from './writes/actions.js';
export {
  readComments,
  commentThreads,
  openCommentCounts,
  openMentionsOf,
  mentionsIn,
  isCommentTargetKind,
  COMMENT_TARGET_KINDS,
  COMMENT_TARGET_COLLECTIONS,
  MAX_COMMENT_LENGTH,
  type Comment,
  type CommentThread,
  type CommentTarget,
  type CommentTargetKind,
} from './records/comment.js';
export {
  addComment,
  replyToComment,
  editComment,
  setThreadResolved,
  deleteComment,
  commentsDeletedWith,
  type CommentInput,
} from './writes/comments.js';
