/**
 * The shared support plan: the one entry the routes, the API and the tests use. Every function
 * here takes the acting user and asks auth/access.ts, before anything else, whether that user may
 * do it: the plan's lead worker, or staff of a member organisation covered by the consent in force
 * (or by an override recorded with its reason). Anyone else gets 404, exactly as for a plan that
 * does not exist, and the refusal is audited. Every read and write is recorded in the audit trail;
 * every write that spans rows runs in one transaction.
 *
 * A file per job: lifecycle.ts (open, change, erase), members.ts (consent, members, sharing),
 * referrals.ts (referrals and their threads), notes.ts (notes, meetings), reads.ts (the list, a
 * plan, its trail, the family's export), views.ts (what each person sees), card.ts (the family's
 * card), suggestions.ts (offers near the household), maintenance.ts (retention, key rotation);
 * context.ts, input.ts and errors.ts are what they share.
 */

export { PLAN_NOT_FOUND as NOT_FOUND, REFERRAL_NOT_FOUND } from '../auth/access';
export { PLAN_STATUSES, REFERRAL_STATUSES } from '../../domain/plan-forms';
export { PlanError } from './errors';
export type { Actor, PlanSettings } from './context';
export { createPlan, neighbourhoods, updatePlan, erase, type NewPlanInput } from './lifecycle';
export { recordConsent, withdrawConsent, addMember, setSharing } from './members';
export { addReferral, setReferralStatus, sendReferralMessage, nextReferralStatuses, inbox } from './referrals';
export { addNote, addMeeting } from './notes';
export { listPlans, getPlan, planAudit, planAuditPage, exportHousehold, type ListedPlan } from './reads';
export { partnerView, pageView, type PlanView, type PlanPageView, type Contact } from './views';
export { familyCard, type CardPlace } from './card';
export { suggestions, organizationsNearby, type Suggestion } from './suggestions';
export { applyRetention, rotateHouseholdKey } from './maintenance';
