import { useState } from 'react';
import type { Review } from '../../../shared/api';

interface Props {
  reviews: readonly Review[];
  /** The current user may review: the annotation is a colleague's. */
  canReview: boolean;
  me: string | null;
  onReview: (verdict: 'approved' | 'needs-change' | null, comment: string) => Promise<void>;
}

const VERDICT = { approved: 'Approved', 'needs-change': 'Needs change' } as const;

/** Reviewers' verdicts on an annotation; its annotator sees them here on their own layer. */
export function ReviewBox({ reviews, canReview, me, onReview }: Props) {
  const mine = reviews.find((r) => r.reviewer === me);
  const [comment, setComment] = useState(mine?.comment ?? '');
  return (
    <div className="review-box">
      <h3>Review</h3>
      {reviews.length === 0 && !canReview && <p className="empty-hint">No reviews yet.</p>}
      <ul>
        {reviews.map((r) => (
          <li key={r.reviewer} className={`review ${r.verdict}`}>
            <strong>{VERDICT[r.verdict]}</strong> by {r.reviewer}
            {r.comment && <>: {r.comment}</>}
          </li>
        ))}
      </ul>
      {canReview && (
        <>
          <textarea aria-label="Review comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What should change, or why it is right" />
          <div className="review-actions">
            <button type="button" onClick={() => void onReview('approved', comment)}>
              Approve
            </button>
            <button type="button" onClick={() => void onReview('needs-change', comment)}>
              Needs change
            </button>
            {mine && (
              <button type="button" onClick={() => void onReview(null, '')}>
                Withdraw review
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
