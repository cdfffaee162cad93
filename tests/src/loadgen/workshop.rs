//! A workshop under load (issue 18): `people` join one plenary and are seated broad at
//! `tables` tables; then each posts one note at their table within the burst window. Reports
//! delivery per table (each note reaches the phones of its own table), how long forming took,
//! and what the facilitator's overview costs meanwhile (asked for every 250 ms: its time and
//! size).

use super::burst::{Outcome, Schedule};
use super::client::{join_as, run_client};
use super::report::Percentiles;
use super::{Scenario, Target};
use crate::support::client::WsClient;
use crate::support::http::{post_json, request};
use idetavle_core::board::Op;
use idetavle_core::workshop::{Competences, Profile, Role, Table};
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::time::Instant;

pub struct Plan {
    pub people: usize,
    pub tables: u32,
    pub burst: Duration,
    pub seed: u64,
}

pub async fn run(addr: SocketAddr, plan: &Plan) -> anyhow::Result<()> {
    let (base, ws_base) = (format!("http://{addr}"), format!("ws://{addr}"));
    let res = post_json(&format!("{base}/api/workshops"), json!({ "title": "Borgersamling under belastning" })).await;
    let workshop: app::api::CreatedBoard = serde_json::from_str(&res.body)?;

    // Everyone joins the plenary, saying who they are.
    let mut members = Vec::new();
    for i in 0..plan.people {
        let secret = crate::support::new_secret();
        let mut phone = WsClient::participant(&ws_base, &workshop.id, &secret).await;
        let role = [Role::Borger, Role::Borger, Role::Medarbejder, Role::Politiker, Role::Andet][i % 5];
        let profile = Profile { role: Some(role), competences: Competences(1 << (i % 5)) };
        phone.submit(&format!("j{i}"), Op::JoinWorkshop { profile, name: None }).await;
        phone.acked(&format!("j{i}")).await;
        members.push((secret, phone));
    }

    // The facilitator opens the tables and forms them broad.
    let url = format!("{base}/api/workshops/{}/tables", workshop.id);
    let auth = format!("Bearer {}", workshop.facilitator_token);
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
    let res = request(hyper::Method::POST, &url, &headers, Some(json!({ "count": plan.tables }).to_string())).await;
    anyhow::ensure!(res.status.is_success(), "opening tables: {} {}", res.status, res.body);
    let mut fac = WsClient::facilitator(&ws_base, &workshop.id, &workshop.facilitator_token).await;
    let tables = (1..=plan.tables).map(|number| Table { number, name: format!("Bord {number}"), code: None });
    fac.submit("tables", Op::SetTables { tables: tables.collect() }).await;
    fac.acked("tables").await;
    let forming = Instant::now();
    fac.submit("form", Op::FormTables { seed: plan.seed }).await;
    let seq = fac.acked("form").await;
    let formed_in = forming.elapsed();

    // Each phone learns its table and connects there.
    let mut seated = Vec::new();
    for (secret, mut phone) in members {
        phone.caught_up_to(seq).await;
        let workshop = phone.sync.board.as_ref().and_then(|b| b.workshop.clone());
        let table = workshop.and_then(|w| w.members.iter().find(|m| m.mine).and_then(|m| m.table));
        seated.push((secret, table.ok_or_else(|| anyhow::anyhow!("someone was not seated"))?));
        phone.close().await;
    }
    let at_table = |t: u32| seated.iter().filter(|(_, table)| *table == t).count();
    let mut sockets = Vec::new();
    for (secret, table) in &seated {
        let url = format!("{ws_base}/ws/{}-t{table}", workshop.id);
        sockets.push((*table, join_as(&url, Some(secret.clone())).await?));
    }

    // The burst: everyone posts once; the overview is asked for all the while.
    let scenario = Scenario { clients: plan.people, burst: plan.burst, seed: plan.seed };
    let schedule = Schedule::new(&scenario);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let watching = tokio::spawn(watch_overview(base.clone(), workshop.id.to_string(), auth.clone(), stopped));
    let mut tasks = Vec::new();
    for (index, (table, ws)) in sockets.into_iter().enumerate() {
        let expected = at_table(table);
        let run = run_client(
            ws,
            Target::Idetavle,
            index,
            schedule.epoch,
            schedule.send_at(index),
            expected,
            schedule.deadline,
        );
        tasks.push((table, tokio::spawn(run)));
    }
    let mut by_table: Vec<Vec<Outcome>> = (0..plan.tables).map(|_| Vec::new()).collect();
    for (table, task) in tasks {
        by_table[table as usize - 1].push(task.await?);
    }
    let _ = stop.send(true);
    let overview = watching.await.unwrap_or_default();
    report(plan, &by_table, formed_in, overview);
    Ok(())
}

/// Asks for the overview every 250 ms until `stopped`; each answer's time and size.
async fn watch_overview(
    base: String,
    id: String,
    auth: String,
    stopped: tokio::sync::watch::Receiver<bool>,
) -> Vec<(Duration, usize)> {
    let url = format!("{base}/api/workshops/{id}/overview");
    let mut seen = Vec::new();
    let mut every = tokio::time::interval(Duration::from_millis(250));
    while !*stopped.borrow() {
        every.tick().await;
        let asked = Instant::now();
        let res = request(hyper::Method::GET, &url, &[("authorization", auth.as_str())], None).await;
        if res.status.is_success() {
            seen.push((asked.elapsed(), res.body.len()));
        }
    }
    seen
}

fn report(plan: &Plan, by_table: &[Vec<Outcome>], formed_in: Duration, overview: Vec<(Duration, usize)>) {
    let mut p99s = Vec::new();
    let mut all = Vec::new();
    let (mut missing, mut errors) = (0, 0);
    for outcomes in by_table {
        let deliveries: Vec<Duration> = outcomes.iter().flat_map(|o| o.deliveries.iter().copied()).collect();
        all.extend(deliveries.iter().copied());
        p99s.push(Percentiles::of(deliveries).p99);
        let n = outcomes.len();
        missing += (n * n).saturating_sub(outcomes.iter().map(|o| o.received).sum());
        errors += outcomes.iter().map(|o| o.errors).sum::<usize>();
    }
    p99s.sort_unstable();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let median_table = p99s.get(p99s.len() / 2).copied().unwrap_or_default();
    let worst_table = p99s.last().copied().unwrap_or_default();
    println!(
        "[workshop] {} people at {} tables, each posts once within {:.1} s: delivery p99 per table: median table {}, worst table {}; all deliveries {}; {missing} missing, {errors} errors",
        plan.people, plan.tables, plan.burst.as_secs_f64(), ms(median_table), ms(worst_table), Percentiles::of(all)
    );
    println!("[workshop] forming {} people into {} tables, op to ack: {}", plan.people, plan.tables, ms(formed_in));
    let sizes: Vec<usize> = overview.iter().map(|(_, size)| *size).collect();
    let mean_size = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    println!(
        "[workshop] the overview during the burst, every 250 ms: {} · {:.1} KB each",
        Percentiles::of(overview.into_iter().map(|(d, _)| d).collect()),
        mean_size / 1024.0
    );
}
