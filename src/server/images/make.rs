//! Making the copies of one image: decode within limits (a decompression
//! bomb is refused before it allocates), resize, encode lossy WebP or
//! AVIF, and
//! write each copy under a temporary name then rename it, so a copy that
//! exists is whole.

use std::path::Path;
use std::time::Instant;

use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, Limits};

use super::{Job, variant_path};
use crate::content::images::MAX_IMAGE_PIXELS;
use crate::content::images::resolve::Format;

/// WebP quality (0–100) of the copies: photos look as the original at
/// about a tenth of a PNG's bytes.
const QUALITY: f32 = 80.0;
/// AVIF quality (0–100): a photo's copy takes about 40 % fewer bytes
/// than its WebP one; a screenshot's about as many (the smaller answers,
/// see `Images::best`).
const AVIF_QUALITY: u8 = 60;
/// rav1e's fastest preset (1–10): two to four times WebP's encoding time
/// (speed 8 is four times slower again for 10 % fewer bytes).
const AVIF_SPEED: u8 = 10;
/// Largest side decoded, whatever the header said at ingest.
const MAX_SIDE: u32 = 20_000;

/// Makes the copies `job` asks for; failures are logged, never fatal.
pub(super) fn variants(job: &Job, dir: &Path) {
    let started = Instant::now();
    let image = match decode(&job.source) {
        Ok(image) => image,
        Err(err) => {
            tracing::warn!(source = %job.source.display(), error = %err, "cannot resize this image; its original is served");
            return;
        }
    };
    // Resized once per width, whatever the formats asked of it (a first
    // export of a blog of photos spent about a sixth of its time resizing
    // each image a second time).
    let mut widths: Vec<u32> = job.copies.iter().map(|(width, _)| *width).collect();
    widths.sort_unstable();
    widths.dedup();
    for width in widths {
        let resized = match resize(&image, width) {
            Ok(resized) => resized,
            Err(err) => {
                tracing::warn!(source = %job.source.display(), width, error = %err, "cannot resize this image; its original is served");
                continue;
            }
        };
        let formats = job.copies.iter().filter(|(w, _)| *w == width);
        for &(_, format) in formats {
            let path = variant_path(dir, &job.hash, width, format);
            if let Err(err) = write_variant(&resized, format, &path) {
                tracing::warn!(source = %job.source.display(), width, format = format.extension(), error = %err, "cannot write a resized copy");
            }
        }
    }
    tracing::debug!(source = %job.source.display(), ms = started.elapsed().as_millis() as u64, "resized copies made");
}

/// The image, decoded under limits, turned as its EXIF orientation says.
pub(super) fn decode(source: &Path) -> Result<DynamicImage, image::ImageError> {
    let mut reader = ImageReader::open(source)?.with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = image::ImageDecoder::orientation(&mut decoder)?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// One copy `width` pixels wide (height in proportion), lossy.
#[cfg(test)]
pub(super) fn encode(image: &DynamicImage, width: u32, format: Format) -> Result<Vec<u8>, String> {
    encode_resized(&resize(image, width)?, format)
}

/// `image` `width` pixels wide, its height in proportion: with
/// fast_image_resize's triangle (bilinear) filter, or `image`'s own for a
/// kind of pixel it does not take.
fn resize(image: &DynamicImage, width: u32) -> Result<DynamicImage, String> {
    use fast_image_resize::{FilterType as Filter, ResizeAlg, ResizeOptions, Resizer};
    let height = u64::from(image.height()) * u64::from(width) / u64::from(image.width().max(1));
    let height = u32::try_from(height.max(1)).map_err(|e| e.to_string())?;
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(Filter::Bilinear));
    Ok(match Resizer::new().resize(image, &mut resized, &options) {
        Ok(()) => resized,
        Err(_) => image.resize_exact(width, height, FilterType::Triangle),
    })
}

/// An image already resized, lossy in `format`.
fn encode_resized(resized: &DynamicImage, format: Format) -> Result<Vec<u8>, String> {
    let (width, height) = (resized.width(), resized.height());
    match format {
        Format::Webp => Ok(webp(resized, width, height)),
        Format::Avif => avif(resized, width, height),
    }
}

fn webp(resized: &DynamicImage, width: u32, height: u32) -> Vec<u8> {
    let encoded = if resized.color().has_alpha() {
        let rgba = resized.to_rgba8();
        webp::Encoder::from_rgba(rgba.as_raw(), width, height).encode(QUALITY)
    } else {
        let rgb = resized.to_rgb8();
        webp::Encoder::from_rgb(rgb.as_raw(), width, height).encode(QUALITY)
    };
    encoded.to_vec()
}

fn avif(resized: &DynamicImage, width: u32, height: u32) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::avif::AvifEncoder;
    let mut out = Vec::new();
    let encoder = AvifEncoder::new_with_speed_quality(&mut out, AVIF_SPEED, AVIF_QUALITY);
    let written = if resized.color().has_alpha() {
        let rgba = resized.to_rgba8();
        encoder.write_image(
            rgba.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgba8,
        )
    } else {
        let rgb = resized.to_rgb8();
        encoder.write_image(rgb.as_raw(), width, height, image::ExtendedColorType::Rgb8)
    };
    written.map_err(|e| e.to_string())?;
    Ok(out)
}

fn write_variant(resized: &DynamicImage, format: Format, path: &Path) -> Result<(), String> {
    let bytes = encode_resized(resized, format)?;
    let partial = path.with_extension("partial");
    std::fs::write(&partial, &bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, path).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_webp_of_the_asked_width_in_proportion() {
        let image = DynamicImage::new_rgb8(1000, 500);
        let bytes = encode(&image, 480, Format::Webp).unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        assert_eq!(imagesize::blob_size(&bytes).unwrap().height, 240);
    }

    #[test]
    fn an_avif_copy_is_avif_of_the_asked_width_in_proportion() {
        let image = DynamicImage::new_rgba8(1000, 500);
        let bytes = encode(&image, 480, Format::Avif).unwrap();
        assert_eq!(&bytes[4..12], b"ftypavif");
        let size = imagesize::blob_size(&bytes).unwrap();
        assert_eq!((size.width, size.height), (480, 240));
    }

    /// Transparent pixels' colour does not bleed into their opaque
    /// neighbours (the resizer weighs colour by alpha).
    #[test]
    fn a_resized_copy_keeps_colours_and_transparency() {
        let image = image::RgbaImage::from_fn(200, 100, |x, _| match x < 100 {
            true => image::Rgba([255, 0, 0, 255]),
            false => image::Rgba([0, 255, 0, 0]),
        });
        let resized = resize(&DynamicImage::ImageRgba8(image), 100).unwrap();
        let resized = resized.to_rgba8();
        assert_eq!(resized.dimensions(), (100, 50));
        assert_eq!(resized.get_pixel(10, 25).0, [255, 0, 0, 255]);
        assert_eq!(resized.get_pixel(90, 25).0[3], 0);
        let edge = resized.get_pixel(49, 25).0;
        assert!(edge[1] < 8 && edge[3] > 0, "green bled in: {edge:?}");
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_it_allocates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.png");
        std::fs::write(
            &path,
            crate::content::images::tests::bomb_header(30_000, 30_000),
        )
        .unwrap();
        assert!(decode(&path).is_err());
    }
}
