//! Command-line interface.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "quire",
    version,
    about = "A blog engine: Markdown in content/, a fast live site out of one binary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the blog (the default when no command is given).
    Serve(ServeArgs),
    /// Check every post in the content directory and report every problem.
    Check(CheckArgs),
    /// Write a new post with front matter into the content directory.
    New(NewArgs),
    /// Write the whole site as files into DIR, for a static host (docs/DEPLOY.md).
    Export(ExportArgs),
    /// Append the client bundle and default content to a copy of this binary (build step).
    #[command(hide = true)]
    Pack(PackArgs),
}

#[derive(Debug, Args, Default)]
pub struct ContentArg {
    /// Directory of Markdown posts [default: ./content, else the bundled demo content].
    #[arg(long, env = "QUIRE_CONTENT")]
    pub content: Option<PathBuf>,
}

/// Where the site settings are.
#[derive(Debug, Args, Default)]
pub struct ConfigArg {
    /// Site settings file [default: ./quire.toml when present, else built-in defaults].
    #[arg(long, env = "QUIRE_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Directory for the store and other files Quire manages.
    #[arg(long, env = "QUIRE_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "QUIRE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Show draft posts.
    #[arg(long)]
    pub drafts: bool,
    /// Refresh open pages when the post they show changes (for authors at their desk).
    #[arg(long)]
    pub live_reload: bool,
    /// Per-client limits (quire.toml settings of the same names).
    #[command(flatten)]
    pub limits: super::client_limits::LimitArgs,
    #[command(flatten)]
    pub tls: Box<TlsArgs>,
}

/// HTTPS and HTTP/2 (docs/DEPLOY.md, "HTTPS with one binary"). The files
/// and ACME settings may also be in `quire.toml` (`tls_cert`,
/// `acme_domains`…) or `QUIRE_TLS_CERT`…; these flags win.
#[derive(Debug, Args, Default, Clone)]
pub struct TlsArgs {
    /// HTTPS listen address, used when HTTPS is on [default: 127.0.0.1:8443].
    #[arg(long, env = "QUIRE_TLS_ADDR")]
    pub tls_addr: Option<SocketAddr>,
    /// PEM certificate chain to serve over HTTPS (reloaded when it changes).
    #[arg(long)]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long)]
    pub tls_key: Option<PathBuf>,
    /// Get and renew a certificate for this domain automatically (ACME); repeat for several.
    #[arg(long = "acme-domain")]
    pub acme_domains: Vec<String>,
    /// Contact address for the certificate authority (expiry warnings).
    #[arg(long)]
    pub acme_email: Option<String>,
    /// ACME directory URL [default: Let's Encrypt production].
    #[arg(long)]
    pub acme_directory: Option<String>,
    /// PEM root certificate to trust for the ACME server (a private or test CA).
    #[arg(long)]
    pub acme_ca_root: Option<PathBuf>,
    /// How the CA checks the domains: tls-alpn-01 (HTTPS port) or http-01 (HTTP port) [default: tls-alpn-01].
    #[arg(long)]
    pub acme_challenge: Option<String>,
    /// Also speak HTTP/2 without TLS (h2c, prior knowledge) on --addr when HTTPS is off.
    #[arg(long, env = "QUIRE_H2C")]
    pub h2c: bool,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            content: ContentArg::default(),
            config: ConfigArg::default(),
            data: PathBuf::from("data"),
            addr: ([127, 0, 0, 1], 8080).into(),
            drafts: false,
            live_reload: false,
            limits: Default::default(),
            tls: Box::default(),
        }
    }
}

/// `quire export DIR`: the same content, settings and data as `serve`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write the site (created; only files Quire wrote there are ever removed).
    pub dir: PathBuf,
    /// The public address the files will be served at [default: base_url of quire.toml or QUIRE_BASE_URL].
    #[arg(long)]
    pub base_url: Option<String>,
    #[command(flatten)]
    pub content: ContentArg,
    #[command(flatten)]
    pub config: ConfigArg,
    /// Directory for the store and the resized images (shared with `serve`).
    #[arg(long, env = "QUIRE_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Export draft posts too.
    #[arg(long)]
    pub drafts: bool,
    /// Link pages by relative file paths (`../tags/rust.html`), so the
    /// folder works opened from disk (file://) or under a sub-path.
    #[arg(long)]
    pub relative: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The post's title.
    pub title: String,
    #[arg(long)]
    pub category: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Directory of Markdown posts.
    #[arg(long, env = "QUIRE_CONTENT", default_value = "content")]
    pub content: PathBuf,
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The dx-built `public/` directory.
    #[arg(long)]
    pub public: PathBuf,
    /// The content to ship as the default site.
    #[arg(long)]
    pub content: PathBuf,
    /// A folder with the default site's `quire.toml` (its title, tagline…),
    /// used only when that content is served without settings of the owner's.
    #[arg(long)]
    pub demo: Option<PathBuf>,
    /// Where to write the packed binary.
    #[arg(long)]
    pub out: PathBuf,
}
