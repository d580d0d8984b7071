import type { MapTemplate } from './template.js';

export const retentionChurnTemplate: MapTemplate = {
  id: 'retention-churn',
  name: 'Retention & churn',
  description: 'How steady customers drift towards cancelling, and where to step in: for success, support and product.',
  suggestedGoal: 'Why do customers leave, which early signals do we already see, and where can we act before they decide?',
  stages: ['Steady use', 'Friction builds', 'Doubts & alternatives', 'Renewal decision', 'Cancellation', 'After leaving'],
  lanes: [
    { title: 'Actions', kind: 'actions' },
    { title: 'Touchpoints', kind: 'touchpoints' },
    { title: 'Thinking', kind: 'thoughts' },
    { title: 'Feeling', kind: 'emotions' },
    { title: 'Pain points', kind: 'painPoints' },
    { title: 'Signals we can see', kind: 'kpis' },
    { title: 'Opportunities to save', kind: 'opportunities' },
    { title: 'Backstage & owners', kind: 'backstage' },
  ],
  personas: [
    {
      name: 'At-risk customer',
      description: 'Two years in, usage dropping since their champion changed roles.',
      goals: 'Keep costs justified; avoid tools the new team lead does not know.',
      frustrations: 'Price rise at renewal, unanswered feature requests, nobody at the vendor knows them.',
      colour: '#f97316',
    },
  ],
};
