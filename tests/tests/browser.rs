//! In headless Chromium: a facilitator creates a board on the front page and opens the
//! projector (1920×1080); a phone (360×640) joins by code and posts; the projector shows the
//! note within 2 s, then follows the phone's edit and delete.

use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};
use tests::support::browser::{eventually, texts, wait_hydrated, Driver};
use tests::support::output_dir;
use tests::support::server::TestServer;
use tests::support::temp_data_dir;

const LIVE: Duration = Duration::from_secs(2);

async fn wait_online(client: &Client, who: &str) {
    eventually(Duration::from_secs(15), &format!("{who} connected"), || async {
        client.find(Locator::Css(".badge.online")).await.ok().map(|_| ())
    })
    .await;
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(output_dir().join(name), png).expect("write screenshot");
}

async fn projector_notes(projector: &Client, lane: &str) -> Vec<String> {
    texts(projector, &format!(".lane[data-lane={lane}] .note-text")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_posts_edits_and_deletes_and_the_projector_follows() {
    let dir = temp_data_dir();
    let server = TestServer::start(dir.path()).await;
    let mut driver = Driver::start();
    let projector = driver.desktop(1920, 1080).await;
    let phone = driver.phone(360, 640).await;
    let result = async {
        // The facilitator creates a board on the front page …
        projector.goto(&server.http_base()).await.expect("open front page");
        wait_hydrated(&projector).await;
        projector.find(Locator::Id("board-title")).await.unwrap().send_keys("Fremtidens bibliotek").await.unwrap();
        projector.find(Locator::Css(".create-form button[type=submit]")).await.unwrap().click().await.unwrap();
        let facilitator_url = eventually(Duration::from_secs(5), "the new board's links", || async {
            projector.find(Locator::Css(".created a.facilitator-link")).await.ok()?.attr("href").await.ok()?
        })
        .await;
        let join_code = projector.find(Locator::Css(".created .join-code")).await.unwrap().text().await.unwrap();
        assert!(facilitator_url.contains('#'), "the token travels in the fragment: {facilitator_url}");

        // … and opens the projector view from there.
        projector.find(Locator::Css(".created a.button")).await.unwrap().click().await.unwrap();
        eventually(Duration::from_secs(10), "projector page", || async {
            projector.current_url().await.ok().filter(|u| u.path().starts_with("/f/")).map(|_| ())
        })
        .await;
        wait_hydrated(&projector).await;
        wait_online(&projector, "projector").await;
        let code = projector.find(Locator::Css(".join-panel .join-code")).await.unwrap().text().await.unwrap();
        assert_eq!(code, join_code, "the projector shows the join code");
        assert!(projector.find(Locator::Css(".join-panel svg.join-qr path")).await.is_ok(), "and a QR code");

        // A participant types the code on the front page.
        phone.goto(&server.http_base()).await.unwrap();
        wait_hydrated(&phone).await;
        phone.find(Locator::Id("join-code")).await.unwrap().send_keys(&join_code.to_lowercase()).await.unwrap();
        phone.find(Locator::Css(".join-form button[type=submit]")).await.unwrap().click().await.unwrap();
        eventually(Duration::from_secs(10), "participant page", || async {
            phone.current_url().await.ok().filter(|u| u.path() == format!("/j/{}", join_code)).map(|_| ())
        })
        .await;
        wait_hydrated(&phone).await;
        wait_online(&phone, "phone").await;
        eventually(LIVE, "projector counts the participant", || async {
            let p = projector.find(Locator::Css(".presence")).await.ok()?.text().await.ok()?;
            p.starts_with("1 ").then_some(())
        })
        .await;

        // … writes a name and a note in "Få idéer" and posts it.
        phone.find(Locator::Id("display-name")).await.unwrap().send_keys("Åse").await.unwrap();
        phone.find(Locator::Css("input[name=lane][value=ideas] + span")).await.unwrap().click().await.unwrap();
        phone.find(Locator::Id("note-text")).await.unwrap().send_keys("Læsecafé med lange åbningstider").await.unwrap();
        let posted = Instant::now();
        phone.find(Locator::Css("button.post")).await.unwrap().click().await.unwrap();
        eventually(LIVE, "the note on the projector", || async {
            let notes = projector_notes(&projector, "ideas").await;
            (notes == ["Læsecafé med lange åbningstider"]).then_some(())
        })
        .await;
        let latency = posted.elapsed();
        println!("phone → projector: {latency:?}");
        // The phone says so next to the form, and takes the participant to the note.
        eventually(LIVE, "the phone confirms", || async {
            (texts(&phone, ".sent-status").await.first().is_some_and(|s| s.starts_with("Sendt ✓"))).then_some(())
        })
        .await;
        phone.find(Locator::Css(".sent-status button.see-note")).await.unwrap().click().await.unwrap();
        let author = texts(&projector, ".lane[data-lane=ideas] .note-author").await;
        assert_eq!(author, ["Åse"]);
        assert_eq!(texts(&phone, ".lane[data-lane=ideas] .note-text").await, ["Læsecafé med lange åbningstider"]);

        // Two more notes, into the other lanes.
        for (lane, text) in [("need", "Vi mangler stille læsepladser"), ("trials", "Prøv søndagsåbent i tre måneder")]
        {
            phone
                .find(Locator::Css(&format!("input[name=lane][value={lane}] + span")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            phone.find(Locator::Id("note-text")).await.unwrap().send_keys(text).await.unwrap();
            phone.find(Locator::Css("button.post")).await.unwrap().click().await.unwrap();
            eventually(LIVE, &format!("the note in {lane} on the projector"), || async {
                (projector_notes(&projector, lane).await == [text]).then_some(())
            })
            .await;
        }
        screenshot(&projector, "projector.png").await;
        screenshot(&phone, "participant.png").await;

        // … edits it.
        phone.find(Locator::Css(".lane[data-lane=ideas] .note.mine button.edit")).await.unwrap().click().await.unwrap();
        let editor = phone.find(Locator::Css(".lane[data-lane=ideas] .note.mine textarea.note-edit")).await.unwrap();
        editor.clear().await.unwrap();
        editor.send_keys("Læsecafé, åben til kl. 22").await.unwrap();
        phone.find(Locator::Css(".lane[data-lane=ideas] .note.mine button.save")).await.unwrap().click().await.unwrap();
        eventually(LIVE, "the edit on the projector", || async {
            (projector_notes(&projector, "ideas").await == ["Læsecafé, åben til kl. 22"]).then_some(())
        })
        .await;

        // … and deletes it (two taps: delete, then confirm).
        phone
            .find(Locator::Css(".lane[data-lane=ideas] .note.mine button.delete"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(projector_notes(&projector, "ideas").await.len(), 1, "one tap does not delete");
        phone
            .find(Locator::Css(".lane[data-lane=ideas] .note.mine button.confirm-delete"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        eventually(LIVE, "the delete on the projector", || async {
            projector_notes(&projector, "ideas").await.is_empty().then_some(())
        })
        .await;
        assert!(texts(&phone, ".lane[data-lane=ideas] .note-text").await.is_empty());
        assert_eq!(texts(&phone, ".note-text").await.len(), 2, "the other notes stay");

        // The browser that made the board keeps its facilitator link: the home page lists it.
        projector.goto(&server.http_base()).await.unwrap();
        wait_hydrated(&projector).await;
        let kept = eventually(LIVE, "the board on the home page", || async {
            projector.find(Locator::Css(".kept-board-link")).await.ok()
        })
        .await;
        assert_eq!(kept.text().await.unwrap(), "Fremtidens bibliotek");
        assert_eq!(kept.attr("href").await.unwrap().as_deref(), Some(facilitator_url.as_str()));
        kept.click().await.unwrap();
        wait_hydrated(&projector).await;
        wait_online(&projector, "projector, back from the home page").await;

        // The facilitator deletes the board: both screens say so, and the phone offers nothing.
        projector.find(Locator::Css("button.delete-board-start")).await.unwrap().click().await.unwrap();
        projector.find(Locator::Css("button.delete-board-confirm")).await.unwrap().click().await.unwrap();
        for (screen, who) in [(&projector, "projector"), (&phone, "phone")] {
            eventually(LIVE, &format!("the {who} says the board is gone"), || async {
                let said = texts(screen, ".board-ended").await;
                said.first().is_some_and(|s| s.starts_with("Tavlen er slettet")).then_some(())
            })
            .await;
        }
        let post = phone.find(Locator::Css("button.post")).await.unwrap();
        assert_eq!(post.attr("disabled").await.unwrap().as_deref(), Some("true"), "the phone's form is closed");
    }
    .await;
    let _ = phone.close().await;
    let _ = projector.close().await;
    result
}
