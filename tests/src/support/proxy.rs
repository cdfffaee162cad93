//! A TCP proxy on loopback whose link can be cut and restored, like a venue's Wi-Fi: while cut,
//! every connection through it is closed and new ones are closed as soon as they arrive. Or its
//! connections can go silent ([`Proxy::stall`]), as a frozen phone's do: open to both ends,
//! carrying nothing, with no close ever arriving.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::AbortHandle;

pub struct Proxy {
    pub addr: SocketAddr,
    cut: Arc<AtomicBool>,
    stall: Arc<Notify>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    accepting: AbortHandle,
}

impl Proxy {
    /// Starts forwarding a free loopback port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let cut = Arc::new(AtomicBool::new(false));
        let stall = Arc::new(Notify::new());
        let links: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let accepting = {
            let (cut, links, stall) = (Arc::clone(&cut), Arc::clone(&links), Arc::clone(&stall));
            tokio::spawn(async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if cut.load(Ordering::SeqCst) {
                        continue; // dropped: closed at once
                    }
                    let stall = Arc::clone(&stall);
                    let link = tokio::spawn(async move {
                        let stalled = stall.notified();
                        let _ = client.set_nodelay(true);
                        let Ok(mut server) = TcpStream::connect(upstream).await else { return };
                        let _ = server.set_nodelay(true);
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            // Both ends stay open and hear nothing, until the proxy is dropped.
                            _ = stalled => std::future::pending::<()>().await,
                        }
                    });
                    if let Ok(mut links) = links.lock() {
                        links.retain(|l| !l.is_finished());
                        links.push(link.abort_handle());
                    }
                }
            })
            .abort_handle()
        };
        Proxy { addr, cut, stall, links, accepting }
    }

    /// Closes every connection through the proxy and refuses new ones until [`Proxy::restore`].
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        if let Ok(mut links) = self.links.lock() {
            for link in links.drain(..) {
                link.abort();
            }
        }
    }

    /// Every connection open now goes silent for good; new ones work.
    pub fn stall(&self) {
        self.stall.notify_waiters();
    }

    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.accepting.abort();
    }
}
