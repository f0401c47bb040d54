// Package reports computes the three reports of REPORTS.md — mapping
// (kartläggning), systematic follow-up and the draft answers to the
// national indicators — as a pure fold over event envelopes: a Builder
// applies envelopes in stream order (facts only, never sealed personal
// data, so a report is the same after every data key is destroyed) and
// Report computes the cells. The same events and Params give the same
// Report, and WriteJSON/WriteCSV give the same bytes.
//
// Cases are folded with domain.CaseDecider().Evolve and persons with
// domain.PersonDecider().Evolve, so corrections (case.corrected) count
// exactly as the domain applies them, and a reopened case has no closing
// date. Events recorded after Params.AsOf are skipped.
//
// # Counting
//
// Persons, not cases: every person-counting cell counts distinct person
// ids. A case counts its subject by the case's (corrected) target group and
// its children (case.child_added) as child_witness (witnessed), child_victim
// (subjected) or both; a child's own case counts by its own group. Sex and
// birth year are the person's latest (person.registered,
// person.details_changed); sex not recorded counts as unknown. Age is the
// year of To minus the birth year (domain.AgeBandFor). The unit is the
// case's latest unit; partner contacts follow their treatment case's unit.
//
// A case is active in From..To when received on or before To and not
// closed before From.
//
// # Mapping tables (in this order)
//
//   - persons: target_group × sex, then sex "all" = the group's distinct
//     persons (a sum, since each person has one sex).
//   - persons_by_age: target_group × age_band; the bands add up to the
//     persons "all" cell of the group, and suppression treats that as a
//     relation across the two tables.
//   - special_needs, violence_forms: target_group × need / form, for the
//     person an active case is about (children recorded in a case have
//     neither recorded of their own). Not additive: no totals.
//   - decisions: support_type × outcome × target_group × sex (+ "all"):
//     persons with a decision dated in the period (decided_on; valid_from
//     for decisions recorded before decisions had a date) that is still
//     the valid one at To (not replaced by a decision dated by then). A
//     decision with child_id counts the child (the child's own decision,
//     under child_victim when subjected, else child_witness), else the
//     person the case is about, under the case's group. Cases need not be
//     active.
//   - placements: sex, with "children" for accompanying children
//     (child_ids) and for the subject of a child's own case: persons whose
//     placement (moved_in_on .. moved_out_on, or still open) overlaps the
//     period. No total: a person may appear in two rows.
//   - placement_days: one cell with empty dims: nights (vårddygn) inside
//     the period — each day from move-in up to, not including, move-out; an
//     open placement through To — over every placed person, adults and
//     accompanying children alike, each person's days counted once however
//     their placements overlap.
//   - schooling: status arranged / not_arranged: accompanying children
//     aged 6-17 (by To's year) placed in the period; arranged when a
//     case.schooling_arranged dated on or before To exists for the child in
//     any of those placements.
//   - risk_instruments: investigations (cases with investigation_opened_on
//     in the period), not persons, with at least one assessment by each
//     instrument (domain order), then any_standardized
//     (Instrument.Standardized) and none (no assessment at all; a case
//     assessed only clinically is in neither).
//   - partner_contact: partners whose contact was offered in the period,
//     each once at the furthest step (see type step for the ranking:
//     offered < consent_refused < consent_given < partner_reached <
//     declined < accepted < new_violence, highest ever reached). The offer
//     has no date fact: its recording day (UTC) is the opening date.
//
// # Follow-up tables
//
//   - follow_ups: support_type × sex (+ "all"): persons with a follow-up
//     dated (followed_up_on) in the period, by the decision's support type
//     and whom the decision is for.
//   - goal_outcomes: support_type × sex (+ "all") × outcome: goals, not
//     persons. Each decision's goals count once, by the outcomes of its
//     latest follow-up in the period.
//   - participation: sex (+ "all") × participated "true"/"false": persons
//     with a follow-up in the period, "true" when they took part in at
//     least one.
//
// # Indicators (one year; From..To is the year)
//
// Every cell carries an "answer" dim with the draft answer, and the figure
// behind it as its value:
//
//   - V3 {sex: female|male, answer: yes|no}: adult_victim persons of that
//     sex granted (fully or partly) protected_housing by a decision of
//     their own dated in the year; yes when there is at least one. The
//     survey asks whether the municipality offers it; this is the evidence.
//
//   - V7 {answer: yes|too_few|no}: adult_victim persons whose own support
//     was followed up in the year; yes from k persons, too_few from 1 to
//     k-1 (the survey's "Ej aktuellt … för få"), no when none.
//
//   - V7a {sex, answer}: the same persons by sex, each row answered as V7;
//     then {sex: all, answer} with the overall answer: no when none,
//     too_few when women or men (the survey's split) are 1 to k-1, else yes.
//
//   - G20 {answer: yes|no}: adult_victim persons with a case active in the
//     24 months ending with the year; yes when any.
//
//   - V1 {measure, answer: yes|no}: investigations of adult_victim cases
//     opened in the year (measure investigations), those with at least one
//     standardized instrument (with_standardized), and the share in per
//     mille rounded half up (per_mille; integer cells); yes when any used a
//     standardized instrument.
//
//   - V2 {sex: female|male, answer, survey_year}: perpetrator persons
//     granted support_talks or perpetrator_treatment by a decision of
//     their own dated in the year.
//
//   - decisions_changed_after_appeal {measure, survey_year}: appeals
//     finally examined in the year (a changed reconsideration, or a court
//     ruling), those that changed the decision, and the share per mille.
//     survey_year is the year + 1: the survey is answered early in the
//     following year about the year before.
//
// # Appeals (report appeals, From..To)
//
//   - appeals {in_time: yes|no, outcome}: persons with an appeal received
//     in the period, by its latest step (pending, reconsidered_changed,
//     upheld, changed, returned, dismissed).
//   - decisions_changed {support_type}: persons whose decision was changed
//     on reconsideration or by a court in the period.
//
// # Suppression
//
// A cell is suppressed (value null) when the number of persons behind it
// is from 1 to k-1 (Params.MinCell); zero is shown. For person counts that
// is the value. Investigations and partner contacts count as persons (each
// is about one). goal_outcomes counts goals and placement_days counts
// days, but a small number of persons behind them still identifies
// people, so they are suppressed by the number of distinct persons behind
// the cell, not by their value. The per-mille share is suppressed whenever
// its numerator or denominator is.
//
// Secondary suppression (func suppress): every total the report publishes
// is declared with its parts (sex "all" rows, the persons total with the
// age bands, V7 and V7a "all" with the sexes and with each other). Until
// nothing changes, any relation with exactly one suppressed member gets
// its smallest shown member suppressed too (non-zero values first). The
// property test also checks, by linear algebra, that no suppressed value
// follows from the shown cells through all relations taken together.
// Nothing protects against combining different reports, periods or units,
// nor against the interval information the answer dims give (too_few
// says 1 to k-1; yes on a suppressed V7a row says at least k).
package reports
