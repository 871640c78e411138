//! `update`: keys → actions → state changes.

use super::form::CursorMove;
use super::{
    Model, Msg, Overlay, Pending, PickPurpose, Screen, StatusKind, gts, household, referral_form,
    triage,
};
use crate::domain::{Reference, SectorId, WorkerId};
use crate::keymap::{Action, Chord, Mode};
use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};

const PAGE: usize = 10;

/// The keymap table that applies now.
pub fn active_mode(m: &Model) -> Mode {
    match &m.overlay {
        Some(Overlay::Help(_)) => Mode::Help,
        Some(Overlay::Pick(_) | Overlay::Confirm(_) | Overlay::Message { .. }) => Mode::Dialog,
        Some(Overlay::Form(_)) => Mode::Form,
        Some(Overlay::Editor(_)) => Mode::Editor,
        None if m.filter_editing => Mode::Filter,
        None => match m.screen {
            Screen::Dashboard => Mode::Dashboard,
            Screen::Waiting => Mode::Waiting,
            Screen::Measures => Mode::Measures,
            Screen::Household { .. } => Mode::Household,
            Screen::NewReferral => Mode::Form,
            Screen::Alerts => Mode::Alerts,
            Screen::Gts => Mode::Gts,
            Screen::GtsAgenda { .. } => Mode::GtsAgenda,
            Screen::Refdata => Mode::Refdata,
            Screen::Stats => Mode::Stats,
            Screen::Seance => m
                .seance
                .as_ref()
                .map_or(Mode::Seance, |s| super::seance::mode_of(s)),
        },
    }
}

fn matches_filter(filter: &str, hay: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let f = filter.to_lowercase();
    hay.iter().any(|h| h.to_lowercase().contains(&f))
}

/// The current sector's waiting list, filtered.
pub fn visible_waiting(m: &Model) -> Vec<Reference> {
    if !m.sees_sector(m.sector) {
        return Vec::new();
    }
    let Some(list) = m.derived.waiting.get(&m.sector) else {
        return Vec::new();
    };
    if m.filter.is_empty() {
        return list.clone();
    }
    list.iter()
        .copied()
        .filter(|r| {
            let Some(rf) = m.data.referrals.get(r) else {
                return false;
            };
            let h = m.data.households.get(&rf.household);
            let name = h.map(|h| h.display_name()).unwrap_or_default();
            let commune = h.map_or("", |h| h.commune.as_str());
            matches_filter(&m.filter, &[&r.to_string(), &name, commune])
        })
        .collect()
}

/// The current sector's measures in progress, by worker, filtered.
pub fn visible_measures(m: &Model) -> Vec<Reference> {
    if !m.sees_sector(m.sector) {
        return Vec::new();
    }
    let Some(list) = m.derived.in_progress.get(&m.sector) else {
        return Vec::new();
    };
    if m.measures_worker.is_none() && m.filter.is_empty() {
        // Nothing to filter: the derived list itself (no look-up per
        // measure at each key).
        return list.clone();
    }
    list.iter()
        .copied()
        .filter(|r| {
            let Some(me) = m.data.measures.get(r) else {
                return false;
            };
            if m.measures_worker.is_some() && me.worker != m.measures_worker {
                return false;
            }
            if m.filter.is_empty() {
                return true;
            }
            let h = m.data.households.get(&me.household);
            let name = h.map(|h| h.display_name()).unwrap_or_default();
            matches_filter(
                &m.filter,
                &[&r.to_string(), &name, m.data.worker_name(me.worker)],
            )
        })
        .collect()
}

/// Indices into the cached alerts (sorted by due date) this session may
/// see: a worker's sectors and own alerts, everything for the others.
pub fn own_alerts(m: &Model) -> Vec<usize> {
    let actor = m.actor();
    let own = actor.sectors(&m.data);
    let own_worker = match actor.role {
        crate::domain::command::Role::Worker { worker } => Some(worker),
        _ => None,
    };
    m.derived
        .alerts
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            own.as_ref().is_none_or(|own| {
                a.sector.is_some_and(|s| own.contains(&s))
                    || (own_worker.is_some() && a.worker == own_worker)
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Indices into the cached alerts (sorted by due date), filtered.
pub fn visible_alerts(m: &Model) -> Vec<usize> {
    own_alerts(m)
        .into_iter()
        .filter_map(|i| m.derived.alerts.get(i).map(|a| (i, a)))
        .filter(|(_, a)| m.alerts_sector.is_none() || a.sector == m.alerts_sector)
        .filter(|(_, a)| m.alerts_worker.is_none() || a.worker == m.alerts_worker)
        .filter(|(_, a)| {
            if m.filter.is_empty() {
                return true;
            }
            let r = a.reference.map(|r| r.to_string()).unwrap_or_default();
            matches_filter(&m.filter, &[&a.message, &r, a.rule])
        })
        .map(|(i, _)| i)
        .collect()
}

pub fn update(m: &mut Model, msg: Msg) -> Option<Msg> {
    let next = match msg {
        Msg::Terminate => {
            m.quit = true;
            None
        }
        Msg::Key(k) => on_key(m, k),
        Msg::Action(a) => {
            on_action(m, a);
            None
        }
        Msg::Paste(text) => {
            on_paste(m, &text);
            None
        }
        Msg::Tick => None,
        Msg::Refresh => {
            m.sync();
            None
        }
    };
    load_open_log(m);
    super::refdata::refresh_note(m);
    audit_open_file(m);
    track_edit_base(m);
    next
}

/// Opening a household's file is a read of personal data: the audit trail
/// says who read it and when (once per opening).
fn audit_open_file(m: &mut Model) {
    let open = match m.screen {
        Screen::Household { household, .. } => Some(household),
        _ => None,
    };
    if open == m.audited_file {
        return;
    }
    m.audited_file = open;
    let Some(id) = open else { return };
    let name = m
        .data
        .households
        .get(&id)
        .map_or_else(|| format!("n° {}", id.0), |h| h.display_name());
    let what = format!("consultation du dossier du ménage {name} (n° {})", id.0);
    if let Err(e) = m.persist.audit_read(&m.who, (m.now)(), &what) {
        m.set_status(
            StatusKind::Error,
            format!("Consultation non inscrite au journal d'audit : {e}"),
        );
    }
}

/// The store leaves each measure's log on disk until its file is opened:
/// whichever way the file was reached, its log is read here, once.
fn load_open_log(m: &mut Model) {
    let Screen::Household {
        reference: Some(r), ..
    } = m.screen
    else {
        return;
    };
    if m.data
        .measures
        .get(&r)
        .is_none_or(|me| me.log_on_disk.is_none())
    {
        return;
    }
    if m.open_log.as_ref().is_some_and(|(open, _)| *open == r) {
        return;
    }
    match m.persist.load_log(r) {
        Ok(events) => m.open_log = Some((r, events)),
        Err(e) => m.set_status(StatusKind::Error, format!("Chronologie illisible : {e}")),
    }
}

/// The form or editor open, if any, began on the commit shown then: its
/// save is refused if someone else changed the same records meanwhile.
fn track_edit_base(m: &mut Model) {
    let editing = m.referral_form.is_some()
        || matches!(m.overlay, Some(Overlay::Form(_) | Overlay::Editor(_)));
    match (editing, m.edit_base) {
        (true, None) => m.edit_base = Some(m.seq),
        (false, Some(_)) => m.edit_base = None,
        _ => {}
    }
}

fn on_key(m: &mut Model, k: ratatui::crossterm::event::KeyEvent) -> Option<Msg> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    if m.screen == Screen::Seance && m.overlay.is_none() {
        super::seance::on_key(m, k);
        return None;
    }
    let mode = active_mode(m);
    let chord = Chord::from_event(&k)?;
    let plain = !k
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let typed = match k.code {
        KeyCode::Char(c) if plain => Some(c),
        _ => None,
    };
    match mode {
        Mode::Editor => {
            if let Some(a) = m.keymap.lookup(mode, &chord) {
                return Some(Msg::Action(a));
            }
            if let Some(Overlay::Editor(ed)) = &mut m.overlay {
                ed.textarea.input(k);
                ed.error = None;
            }
            None
        }
        Mode::Form => {
            let form = match &mut m.overlay {
                Some(Overlay::Form(f)) => Some(f),
                _ => m.referral_form.as_mut(),
            };
            if let Some(f) = form
                && f.focused().is_some_and(|x| x.is_text())
            {
                if let Some(c) = typed {
                    f.type_char(c);
                    return None;
                }
                if k.code == KeyCode::Backspace {
                    f.backspace();
                    return None;
                }
            }
            m.keymap.lookup(mode, &chord).map(Msg::Action)
        }
        Mode::Filter => {
            if let Some(c) = typed {
                m.filter.push(c);
                reset_cursor(m);
                return None;
            }
            if k.code == KeyCode::Backspace {
                m.filter.pop();
                reset_cursor(m);
                return None;
            }
            m.keymap.lookup(mode, &chord).map(Msg::Action)
        }
        _ => m.keymap.lookup(mode, &chord).map(Msg::Action),
    }
}

/// A paste (bracketed paste: the whole text in one message, so one redraw)
/// goes into what has the focus, cleaned for it: the review keeps its line
/// breaks; a one-line field, the filter and the meeting's text get them as
/// spaces. Control characters are dropped everywhere. A paste on a list or
/// a dialog does nothing: pasted text is not a string of commands.
fn on_paste(m: &mut Model, text: &str) {
    if m.screen == Screen::Seance && m.overlay.is_none() {
        super::seance::paste(m, text);
        return;
    }
    let pasted = match &mut m.overlay {
        Some(Overlay::Editor(ed)) => {
            let clean = super::text::multi_line(text);
            if !clean.is_empty() {
                ed.textarea.insert_str(&clean);
                ed.error = None;
            }
            true
        }
        Some(Overlay::Form(f)) => f.paste(text),
        Some(_) => false,
        None if m.filter_editing => {
            m.filter.push_str(&super::text::single_line(text));
            reset_cursor(m);
            true
        }
        None if m.screen == Screen::NewReferral => {
            m.referral_form.as_mut().is_some_and(|f| f.paste(text))
        }
        None => false,
    };
    if !pasted {
        m.set_status(
            StatusKind::Info,
            "Rien n'est collé ici : le texte se colle dans un champ de saisie",
        );
    }
}

fn reset_cursor(m: &mut Model) {
    match m.screen {
        Screen::Waiting => m.waiting_cursor = 0,
        Screen::Measures => m.measures_cursor = 0,
        Screen::Alerts => m.alerts_cursor = 0,
        Screen::Refdata => m.refdata.cursors[super::refdata::Tab::Communes.index()] = 0,
        _ => {}
    }
}

pub(super) fn move_in(cur: &mut usize, len: usize, a: Action) {
    let last = len.saturating_sub(1);
    *cur = match a {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (*cur + 1).min(last),
        Action::PageUp => cur.saturating_sub(PAGE),
        Action::PageDown => (*cur + PAGE).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => *cur,
    };
}

fn on_action(m: &mut Model, a: Action) {
    // Any action clears the previous status, except on the overlays that
    // lead to a save (the status says what the save did).
    match m.overlay.take() {
        Some(o) => on_overlay(m, o, a),
        None if m.filter_editing => on_filter(m, a),
        None if m.screen == Screen::NewReferral => on_referral_form(m, a),
        None => on_screen(m, a),
    }
}

fn on_filter(m: &mut Model, a: Action) {
    match a {
        Action::Confirm => m.filter_editing = false,
        Action::ClearFilter | Action::Cancel => {
            m.filter.clear();
            m.filter_editing = false;
            reset_cursor(m);
        }
        Action::Up | Action::Down => on_screen(m, a),
        _ => {}
    }
}

fn on_overlay(m: &mut Model, o: Overlay, a: Action) {
    match o {
        Overlay::Help(h) => {
            m.overlay = match a {
                Action::Cancel | Action::Confirm | Action::Help | Action::Quit => None,
                _ => Some(Overlay::Help(super::HelpScroll {
                    offset: h.moved(a),
                    drawn: h.drawn,
                })),
            };
        }
        Overlay::Message { title, lines } => {
            if !matches!(a, Action::Confirm | Action::Cancel) {
                m.overlay = Some(Overlay::Message { title, lines });
            }
        }
        Overlay::Pick(mut p) => match a {
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                move_in(&mut p.cursor, p.items.len(), a);
                m.overlay = Some(Overlay::Pick(p));
            }
            Action::Confirm => {
                let Some(v) = p.values.get(p.cursor).copied() else {
                    return;
                };
                match p.purpose {
                    PickPurpose::StartWorker(r) => triage::worker_chosen(m, r, WorkerId(v)),
                    PickPurpose::MoveSector(r) => {
                        triage::do_move(m, r, SectorId(u16::try_from(v).unwrap_or(0)))
                    }
                }
            }
            Action::Cancel => m.set_status(StatusKind::Info, "Abandonné : rien n'a changé"),
            _ => m.overlay = Some(Overlay::Pick(p)),
        },
        Overlay::Confirm(c) => match a {
            Action::Confirm => {
                let stash = m.stash_take();
                match c.on_yes {
                    Pending::StartOverCapacity {
                        reference,
                        worker,
                        sector,
                    } => triage::do_start(m, reference, worker, sector),
                    Pending::ToggleProtection(h) => household::toggle_protection(m, h),
                    Pending::SendFinalEarly { year, month } => gts::send_final(m, year, month),
                    Pending::MoveSessionAnyway { year, month, date } => {
                        gts::move_anyway(m, stash, year, month, date)
                    }
                    Pending::Quit => m.quit = true,
                    Pending::DiscardReferralForm => {
                        m.referral_form = None;
                        go_back(m);
                        m.set_status(StatusKind::Info, "Saisie abandonnée");
                    }
                    Pending::DiscardOverlay => {
                        drop(stash);
                        m.set_status(StatusKind::Info, "Saisie abandonnée");
                    }
                }
            }
            Action::Cancel => {
                m.overlay = m.stash_take();
            }
            _ => m.overlay = Some(Overlay::Confirm(c)),
        },
        Overlay::Form(mut f) => match a {
            Action::NextField => keep_form(m, f, |f| f.next_field()),
            Action::PrevField => keep_form(m, f, |f| f.prev_field()),
            Action::ChoiceNext => keep_form(m, f, |f| f.step(true)),
            Action::ChoicePrev => keep_form(m, f, |f| f.step(false)),
            Action::Toggle => keep_form(m, f, |f| f.toggle_focused()),
            Action::FieldStart => keep_form(m, f, |f| f.cursor_to(CursorMove::Home)),
            Action::FieldEnd => keep_form(m, f, |f| f.cursor_to(CursorMove::End)),
            Action::DeleteNext => keep_form(m, f, |f| f.delete()),
            Action::Submit => match f.purpose {
                super::FormPurpose::NotStarted(r) => triage::submit_not_started(m, f, r),
                super::FormPurpose::StartOutOfOrder {
                    reference,
                    worker,
                    sector,
                } => triage::submit_out_of_order(m, f, reference, worker, sector),
                super::FormPurpose::Gts(g) => gts::submit(m, f, g),
                super::FormPurpose::RefData(r) => super::refdata::submit(m, f, r),
                _ => household::submit(m, f),
            },
            Action::Cancel => {
                if f.dirty {
                    f.error = None;
                    ask_discard(m, Overlay::Form(f));
                } else {
                    m.set_status(StatusKind::Info, "Abandonné : rien n'a changé");
                }
            }
            _ => m.overlay = Some(Overlay::Form(f)),
        },
        Overlay::Editor(ed) => match a {
            Action::Save => {
                m.overlay = Some(Overlay::Editor(ed));
                household::save_review(m);
            }
            Action::Cancel => {
                if ed.dirty() {
                    ask_discard(m, Overlay::Editor(ed));
                }
            }
            _ => m.overlay = Some(Overlay::Editor(ed)),
        },
    }
}

fn keep_form(m: &mut Model, mut f: super::Form, op: impl FnOnce(&mut super::Form)) {
    op(&mut f);
    m.overlay = Some(Overlay::Form(f));
}

fn ask_discard(m: &mut Model, o: Overlay) {
    m.stash = Some(Box::new(o));
    m.overlay = Some(Overlay::Confirm(super::Confirm {
        title: "Abandonner ?".into(),
        message: "La saisie n'est pas enregistrée. L'abandonner ?".into(),
        on_yes: Pending::DiscardOverlay,
    }));
}

fn on_referral_form(m: &mut Model, a: Action) {
    let Some(f) = m.referral_form.as_mut() else {
        go_back(m);
        return;
    };
    let leaving_commune = f.focused().is_some_and(|x| x.key == "commune");
    match a {
        Action::NextField | Action::PrevField => {
            if a == Action::NextField {
                f.next_field();
            } else {
                f.prev_field();
            }
            if leaving_commune {
                referral_form::derive_sector(m);
            }
        }
        Action::ChoiceNext => f.step(true),
        Action::ChoicePrev => f.step(false),
        Action::Toggle => f.toggle_focused(),
        Action::FieldStart => f.cursor_to(CursorMove::Home),
        Action::FieldEnd => f.cursor_to(CursorMove::End),
        Action::DeleteNext => f.delete(),
        Action::Submit => referral_form::submit(m),
        Action::Cancel | Action::Back | Action::Quit => {
            if f.dirty {
                m.overlay = Some(Overlay::Confirm(super::Confirm {
                    title: "Abandonner la commande ?".into(),
                    message: "La commande n'est pas enregistrée. Abandonner la saisie ?".into(),
                    on_yes: Pending::DiscardReferralForm,
                }));
            } else {
                m.referral_form = None;
                go_back(m);
            }
        }
        _ => {}
    }
}

fn go(m: &mut Model, s: Screen) {
    // A worker opens the files of its own sectors only.
    if let Screen::Household { household, .. } = s
        && !m.actor().sees_household(&m.data, household)
    {
        m.set_status(
            StatusKind::Error,
            "Refusé : ce dossier n'est pas dans vos secteurs",
        );
        return;
    }
    if m.screen != s {
        m.back.push(m.screen);
        if m.back.len() > 20 {
            m.back.remove(0);
        }
        m.screen = s;
        m.filter.clear();
        m.filter_editing = false;
    }
}

fn go_back(m: &mut Model) {
    m.screen = m.back.pop().unwrap_or(Screen::Dashboard);
    if m.screen == Screen::NewReferral && m.referral_form.is_none() {
        m.screen = m.back.pop().unwrap_or(Screen::Dashboard);
    }
    m.filter.clear();
    m.filter_editing = false;
}

pub fn open_household(m: &mut Model, reference: Reference) {
    let Some(r) = m.data.referrals.get(&reference) else {
        return;
    };
    let h = r.household;
    m.household_scroll = 0;
    m.household_entry = None;
    go(
        m,
        Screen::Household {
            household: h,
            reference: Some(reference),
        },
    );
}

fn cycle<T: Copy + PartialEq>(list: &[T], cur: Option<T>, forward: bool) -> Option<T> {
    // None → first → … → last → None.
    let pos = cur.and_then(|c| list.iter().position(|x| *x == c));
    match (pos, forward) {
        (None, true) => list.first().copied(),
        (None, false) => list.last().copied(),
        (Some(i), true) => list.get(i + 1).copied(),
        (Some(0), false) => None,
        (Some(i), false) => list.get(i - 1).copied(),
    }
}

fn switch_sector(m: &mut Model, forward: bool) {
    let ids = m.visible_sectors();
    if ids.is_empty() {
        return;
    }
    let i = ids.iter().position(|s| *s == m.sector).unwrap_or(0);
    let n = ids.len();
    let j = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    m.sector = ids[j];
    m.dashboard_cursor = j;
    m.waiting_cursor = 0;
    m.measures_cursor = 0;
    m.measures_worker = None;
}

fn on_screen(m: &mut Model, a: Action) {
    m.status = None;
    match a {
        Action::Quit => {
            if m.has_unsaved() {
                m.overlay = Some(Overlay::Confirm(super::Confirm {
                    title: "Quitter ?".into(),
                    message: "Une saisie n'est pas enregistrée. Quitter quand même ?".into(),
                    on_yes: Pending::Quit,
                }));
            } else {
                m.quit = true;
            }
        }
        Action::Help => m.overlay = Some(Overlay::Help(Default::default())),
        Action::Back => {
            if !m.filter.is_empty() {
                m.filter.clear();
                reset_cursor(m);
            } else {
                go_back(m);
            }
        }
        Action::GoDashboard => go(m, Screen::Dashboard),
        Action::GoWaiting => go(m, Screen::Waiting),
        Action::GoMeasures => go(m, Screen::Measures),
        Action::GoAlerts => go(m, Screen::Alerts),
        Action::GoRefdata => go(m, Screen::Refdata),
        Action::GoStats => go(m, Screen::Stats),
        Action::GoGts => {
            gts::on_open(m);
            go(m, Screen::Gts)
        }
        Action::NewReferral => {
            if m.referral_form.is_none() {
                m.referral_form = Some(referral_form::new_form(m));
            }
            go(m, Screen::NewReferral);
        }
        Action::Undo => triage::undo(m),
        Action::OpenSeance => super::seance::open(m),
        Action::Filter => {
            if matches!(
                m.screen,
                Screen::Waiting | Screen::Measures | Screen::Alerts
            ) || (m.screen == Screen::Refdata && m.refdata.tab == super::refdata::Tab::Communes)
            {
                m.filter_editing = true;
            }
        }
        _ => on_screen_specific(m, a),
    }
}

fn on_screen_specific(m: &mut Model, a: Action) {
    let nav = matches!(
        a,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
    );
    match m.screen {
        Screen::Dashboard => {
            let ids = m.sector_ids();
            match a {
                _ if nav => {
                    move_in(&mut m.dashboard_cursor, ids.len(), a);
                    if let Some(s) = ids.get(m.dashboard_cursor) {
                        m.sector = *s;
                    }
                }
                Action::NextSector => switch_sector(m, true),
                Action::PrevSector => switch_sector(m, false),
                Action::Open => go(m, Screen::Waiting),
                _ => {}
            }
        }
        Screen::Waiting => {
            let n = visible_waiting(m).len();
            match a {
                _ if nav => move_in(&mut m.waiting_cursor, n, a),
                Action::NextSector => switch_sector(m, true),
                Action::PrevSector => switch_sector(m, false),
                Action::Open => {
                    if let Some(r) = visible_waiting(m).get(m.waiting_cursor).copied() {
                        open_household(m, r);
                    }
                }
                Action::StartMeasure => triage::start_measure(m),
                Action::MoveSector => triage::move_sector(m),
                Action::NotStarted => triage::not_started(m),
                _ => {}
            }
        }
        Screen::Measures => {
            let n = visible_measures(m).len();
            match a {
                _ if nav => move_in(&mut m.measures_cursor, n, a),
                Action::NextSector => switch_sector(m, true),
                Action::PrevSector => switch_sector(m, false),
                Action::CycleWorker => {
                    let sector = m.sector;
                    let ws: Vec<WorkerId> = m
                        .data
                        .workers
                        .values()
                        .filter(|w| w.sectors.contains(&sector))
                        .map(|w| w.id)
                        .collect();
                    m.measures_worker = cycle(&ws, m.measures_worker, true);
                    m.measures_cursor = 0;
                }
                Action::Open => {
                    if let Some(r) = visible_measures(m).get(m.measures_cursor).copied() {
                        open_household(m, r);
                    }
                }
                _ => {}
            }
        }
        Screen::Alerts => {
            let n = visible_alerts(m).len();
            match a {
                _ if nav => move_in(&mut m.alerts_cursor, n, a),
                Action::NextSector | Action::PrevSector => {
                    let ids = m.visible_sectors();
                    m.alerts_sector = cycle(&ids, m.alerts_sector, a == Action::NextSector);
                    m.alerts_worker = None;
                    m.alerts_cursor = 0;
                }
                Action::CycleWorker => {
                    let ws: Vec<WorkerId> = m
                        .data
                        .workers
                        .values()
                        .filter(|w| m.alerts_sector.is_none_or(|s| w.sectors.contains(&s)))
                        .map(|w| w.id)
                        .collect();
                    m.alerts_worker = cycle(&ws, m.alerts_worker, true);
                    m.alerts_cursor = 0;
                }
                Action::Open => {
                    let vis = visible_alerts(m);
                    if let Some(r) = vis
                        .get(m.alerts_cursor)
                        .and_then(|i| m.derived.alerts.get(*i))
                        .and_then(|al| al.reference)
                    {
                        open_household(m, r);
                    }
                }
                _ => {}
            }
        }
        Screen::Household { .. } => match a {
            // ↑/↓ choose an entry of the chronology (newest first), for
            // `e`; the page scrolls to keep it in view. Page keys scroll
            // the page and let go of the entry.
            Action::Up | Action::Down | Action::Bottom => {
                let n = household::chronology(m).len();
                m.household_entry = match (a, m.household_entry) {
                    _ if n == 0 => {
                        m.household_scroll = match a {
                            Action::Up => m.household_scroll.saturating_sub(1),
                            Action::Down => m.household_scroll.saturating_add(1),
                            _ => m.household_scroll,
                        };
                        None
                    }
                    (Action::Bottom, _) => Some(n - 1),
                    (Action::Down, None) => Some(0),
                    (Action::Down, Some(i)) => Some((i + 1).min(n - 1)),
                    (_, Some(0) | None) => None,
                    (_, Some(i)) => Some((i - 1).min(n - 1)),
                };
            }
            Action::PageUp => {
                m.household_entry = None;
                m.household_scroll = m.household_scroll.saturating_sub(PAGE);
            }
            Action::PageDown => {
                m.household_entry = None;
                m.household_scroll = m.household_scroll.saturating_add(PAGE);
            }
            Action::Top => {
                m.household_entry = None;
                m.household_scroll = 0;
            }
            Action::CorrectEvent => household::open_correct_event(m),
            Action::LogEvent => household::open_log_event(m),
            Action::Contract => household::open_contract(m),
            Action::Difficulty => household::open_difficulty(m),
            Action::HandOver => household::open_hand_over(m),
            Action::MoveHousehold => household::open_move_household(m),
            Action::ReturnDiagnostic => household::open_return_diagnostic(m),
            Action::EditHousehold => household::open_edit_household(m),
            Action::Masp => household::open_masp(m),
            Action::CheckedFact => household::open_fact(m),
            Action::EditReview => household::open_review(m),
            Action::ToggleProtection => household::ask_toggle_protection(m),
            _ => {}
        },
        Screen::NewReferral => {}
        Screen::Gts => match a {
            Action::Open => {
                if let Some((year, month)) = gts::selected(m) {
                    m.gts.agenda_cursor = 0;
                    go(m, Screen::GtsAgenda { year, month });
                }
            }
            _ => gts::on_calendar(m, a),
        },
        Screen::GtsAgenda { year, month } => gts::on_agenda(m, year, month, a),
        Screen::Stats => super::stats::on_key(m, a),
        Screen::Seance => {}
        Screen::Refdata => super::refdata::on_action(m, a),
    }
}
