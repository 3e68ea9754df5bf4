//! Compressed copies of cached answers and static files, made once (when an answer arrives from
//! arXiv, when the server starts) and then served to every browser that accepts them.
//!
//! Compressing a 200 KiB feed for each request costs far more than everything else a cache hit
//! does (measured with 200 clients: about 300 gzip answers per second instead of 8000); the same
//! held for the app's wasm file (359 brotli answers per second when compressed per request).

use std::io::Write;

use axum::http::HeaderValue;
use bytes::Bytes;

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }
}

/// How much a client wants each coding, from its `Accept-Encoding` header (0 = not acceptable).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accepted {
    brotli: f32,
    gzip: f32,
}

impl Accepted {
    /// Reads `Accept-Encoding`, honouring quality values (`br;q=0` refuses brotli) and `*`.
    pub fn from_header(accept_encoding: Option<&str>) -> Accepted {
        let (mut brotli, mut gzip, mut any) = (None, None, None);
        for item in accept_encoding.unwrap_or_default().split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|param| {
                    let (key, value) = param.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("q").then(|| value.trim())
                })
                .map_or(1.0, |value| value.parse::<f32>().unwrap_or(0.0));
            match name.as_str() {
                "br" => brotli = Some(quality),
                "gzip" | "x-gzip" => gzip = Some(quality),
                "*" => any = Some(quality),
                _ => {}
            }
        }
        Accepted {
            brotli: brotli.or(any).unwrap_or(0.0),
            gzip: gzip.or(any).unwrap_or(0.0),
        }
    }
}

/// The compressed copies of one answer; a copy is absent if compressing did not make it smaller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compressed {
    pub brotli: Option<Bytes>,
    pub gzip: Option<Bytes>,
}

/// Brotli quality and window: done once per upstream answer (at most one every few seconds), so
/// a high quality is affordable; 11 would take about a second on a 200 KiB feed.
const BROTLI_QUALITY: u32 = 9;
const BROTLI_WINDOW_BITS: u32 = 22;
const BROTLI_STATIC_QUALITY: u32 = 11;

impl Compressed {
    /// Compresses `body` both ways. CPU-bound: call it off the async runtime (`spawn_blocking`).
    pub fn of(body: &[u8]) -> Compressed {
        Compressed::with_brotli_quality(body, BROTLI_QUALITY)
    }

    /// Compresses a static file both ways, at brotli's best quality: it is done once per start.
    pub fn of_static(body: &[u8]) -> Compressed {
        Compressed::with_brotli_quality(body, BROTLI_STATIC_QUALITY)
    }

    fn with_brotli_quality(body: &[u8], quality: u32) -> Compressed {
        let smaller =
            |copy: Option<Vec<u8>>| copy.filter(|c| c.len() < body.len()).map(Bytes::from);
        Compressed {
            brotli: smaller(brotli(body, quality)),
            gzip: smaller(gzip(body)),
        }
    }

    /// The body to send to a client that accepts `accepted`, with its coding: the copy the
    /// client wants most (brotli on a tie), or the original.
    pub fn pick(&self, accepted: Accepted, identity: &Bytes) -> (Bytes, Encoding) {
        let candidates = [
            (accepted.brotli, &self.brotli, Encoding::Brotli),
            (accepted.gzip, &self.gzip, Encoding::Gzip),
        ];
        let mut best: Option<(f32, &Bytes, Encoding)> = None;
        for (quality, copy, encoding) in candidates {
            if let Some(copy) = copy {
                if quality > 0.0 && best.is_none_or(|(q, _, _)| quality > q) {
                    best = Some((quality, copy, encoding));
                }
            }
        }
        match best {
            Some((_, copy, encoding)) => (copy.clone(), encoding),
            None => (identity.clone(), Encoding::Identity),
        }
    }

    /// Bytes the copies take.
    pub fn len(&self) -> usize {
        self.brotli.as_ref().map_or(0, Bytes::len) + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn brotli(body: &[u8], quality: u32) -> Option<Vec<u8>> {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 4096, quality, BROTLI_WINDOW_BITS);
    writer.write_all(body).ok()?;
    writer.flush().ok()?;
    Some(writer.into_inner())
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn choose(accept_encoding: &str) -> Encoding {
        let compressed = Compressed {
            brotli: Some(Bytes::from_static(b"br")),
            gzip: Some(Bytes::from_static(b"gz")),
        };
        let original = Bytes::from_static(b"original");
        compressed
            .pick(Accepted::from_header(Some(accept_encoding)), &original)
            .1
    }

    #[test]
    fn brotli_is_preferred_when_both_are_accepted() {
        assert_eq!(choose("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(choose("gzip"), Encoding::Gzip);
        assert_eq!(choose("*"), Encoding::Brotli);
        assert_eq!(choose("identity"), Encoding::Identity);
        assert_eq!(choose(""), Encoding::Identity);
    }

    #[test]
    fn quality_values_are_honoured() {
        assert_eq!(choose("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(choose("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(choose("br;Q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(choose("*;q=0, gzip"), Encoding::Gzip);
        assert_eq!(choose("br;q=nonsense, gzip"), Encoding::Gzip);
    }

    #[test]
    fn both_copies_decompress_to_the_original() {
        let feed = include_bytes!("../../core/tests/fixtures/arxiv/search-10-entries.xml");
        let compressed = Compressed::of(feed);
        let brotli = compressed.brotli.clone().unwrap();
        let gzip = compressed.gzip.clone().unwrap();
        assert!(brotli.len() < feed.len() / 3 && gzip.len() < feed.len() / 3);
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, feed);
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut ungzip)
            .unwrap();
        assert_eq!(ungzip, feed);
    }

    #[test]
    fn tiny_bodies_are_sent_as_they_are() {
        let body = Bytes::from_static(b"<feed/>");
        let compressed = Compressed::of(&body);
        assert!(compressed.is_empty());
        let accepted = Accepted::from_header(Some("br, gzip"));
        assert_eq!(
            compressed.pick(accepted, &body),
            (body.clone(), Encoding::Identity)
        );
    }

    #[test]
    fn a_missing_copy_falls_back_only_to_what_the_client_accepts() {
        let body = Bytes::from_static(b"plain");
        let compressed = Compressed {
            brotli: None,
            gzip: Some(Bytes::from_static(b"gz")),
        };
        let pick = |accept| {
            compressed
                .pick(Accepted::from_header(Some(accept)), &body)
                .1
        };
        assert_eq!(pick("br, gzip"), Encoding::Gzip);
        assert_eq!(pick("br"), Encoding::Identity);
    }
}
