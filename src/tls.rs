//! The listeners' certificate: the operator's (`--tls-cert`/`--tls-key`), or one generated on
//! first start under `<data-dir>/tls/`.
//!
//! The generated `cert.pem` holds a leaf for `localhost`/`127.0.0.1` (and the public host)
//! followed by the local CA that signed it, so `REQUESTS_CA_BUNDLE`/`NODE_EXTRA_CA_CERTS`
//! pointed at that one file trust the server, also under strict X.509 checks.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;

/// Where the certificate and its key live.
#[derive(Debug, Clone)]
pub struct TlsPaths {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsPaths {
    /// The default location under the data dir.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        let dir = data_dir.join("tls");
        TlsPaths {
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

/// Generate a CA-signed certificate for `hosts` at `paths` unless both files exist.
pub fn ensure_generated(paths: &TlsPaths, hosts: &[String]) -> Result<bool, String> {
    if paths.cert.exists() && paths.key.exists() {
        return Ok(false);
    }
    if let Some(dir) = paths.cert.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let (cert_pem, key_pem) =
        generate(hosts).map_err(|e| format!("cannot generate a certificate: {e}"))?;
    crate::keys::write_private(&paths.key, key_pem.as_bytes())?;
    std::fs::write(&paths.cert, cert_pem)
        .map_err(|e| format!("cannot write {}: {e}", paths.cert.display()))?;
    Ok(true)
}

/// A leaf for `hosts` signed by a fresh local CA: (leaf + CA chain PEM, leaf key PEM).
fn generate(hosts: &[String]) -> Result<(String, String), rcgen::Error> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "voxrun local CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
    ];
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    for h in hosts {
        if !h.is_empty() && !names.contains(h) {
            names.push(h.clone());
        }
    }
    let mut leaf_params = CertificateParams::new(names)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "voxrun");
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &issuer)?;
    Ok((
        format!("{}{}", leaf.pem(), ca_cert.pem()),
        leaf_key.serialize_pem(),
    ))
}

/// A rustls server config (HTTP/1.1 only) from PEM files.
pub fn server_config(paths: &TlsPaths) -> Result<Arc<ServerConfig>, String> {
    let certs = load_certs(&paths.cert)?;
    let key = load_key(&paths.key)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("TLS certificate {} is unusable: {e}", paths.cert.display()))?;
    // HTTP/1.0 too: a client that offers only it (`curl --http1.0`) would otherwise get
    // a no_application_protocol alert, though the listener speaks it.
    cfg.alpn_protocols = vec![b"http/1.1".to_vec(), b"http/1.0".to_vec()];
    Ok(Arc::new(cfg))
}

fn load_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let certs: Result<Vec<_>, _> = rustls_pemfile::certs(&mut BufReader::new(file)).collect();
    let certs = certs.map_err(|e| format!("{} is not a PEM certificate: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{} holds no certificate", path.display()));
    }
    Ok(certs)
}

fn load_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    rustls_pemfile::private_key(&mut BufReader::new(file))
        .map_err(|e| format!("{} is not a PEM key: {e}", path.display()))?
        .ok_or_else(|| format!("{} holds no private key", path.display()))
}
