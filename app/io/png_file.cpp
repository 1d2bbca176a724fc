#include "app/io/png_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include <zlib.h>

namespace {

// stb_image_write's PNG writer with zlib's deflate at level 1 in place of
// stb's own (which takes most of a 2× export's time at any level): the
// heatmaps' flat runs compress nearly as well. stb's functions are static
// to this file. Returns malloc'ed bytes, or null.
unsigned char* zlib_deflate(unsigned char* data, int size, int* out_size, int /*quality*/) {
  uLongf bound = compressBound(static_cast<uLong>(size));
  auto* out = static_cast<unsigned char*>(std::malloc(bound));
  if (!out) return nullptr;
  if (compress2(out, &bound, data, static_cast<uLong>(size), 1) != Z_OK) {
    std::free(out);
    return nullptr;
  }
  *out_size = static_cast<int>(bound);
  return out;
}

} // namespace

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBIW_ZLIB_COMPRESS zlib_deflate
#include <stb_image_write.h>

#include "app/io/json_file.hpp"

namespace abh {

namespace {

std::uint32_t crc32_of(const std::string& bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t done = 0; done < bytes.size();) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), chunk);
    done += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

} // namespace

std::string encode_png(const Image& image) {
  std::string bytes;
  const auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                               static_cast<std::size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, 4, image.rgba.data(),
                              image.width * 4))
    return "";
  return bytes;
}

std::string write_png_atomically(const std::string& path, const Image& image) {
  const std::string png = encode_png(image);
  if (png.empty()) return cannot_write(path, ENOMEM);
  return write_file_atomically(path, png);
}

std::string write_png_and_sidecar(const std::string& png_path, const Image& image,
                                  const std::string& json_path, nlohmann::json sidecar) {
  const std::string png = encode_png(image);
  if (png.empty()) return cannot_write(png_path, ENOMEM);
  sidecar["image"]["bytes"] = png.size();
  sidecar["image"]["crc32"] = crc32_of(png);
  const std::string text = sidecar.dump(2);
  return write_files_together({{png_path, png}, {json_path, text}});
}

std::string sidecar_image_mismatch(const nlohmann::json& sidecar, const std::string& sidecar_path) {
  if (!sidecar.is_object() || !sidecar.contains("image") || !sidecar.at("image").is_object())
    return "";
  const nlohmann::json& image = sidecar.at("image");
  if (!image.contains("file") || !image.at("file").is_string() || !image.contains("bytes") ||
      !image.contains("crc32"))
    return "";
  // The image is beside its sidecar: only the file name counts.
  const std::filesystem::path png = std::filesystem::path(sidecar_path).parent_path() /
                                    std::filesystem::path(image.at("file").get<std::string>()).filename();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(png, ec)) return "";
  const std::string note = png.string() + " is not the image " + sidecar_path +
                           " was saved with (it was replaced since); loading the state only";
  const auto size = std::filesystem::file_size(png, ec);
  if (ec || nlohmann::json(size) != image.at("bytes")) return note;
  try {
    if (nlohmann::json(crc32_of(read_small_file(png.string(), std::size_t{1} << 30))) != image.at("crc32"))
      return note;
  } catch (const std::exception&) {
    return note;
  }
  return "";
}

} // namespace abh
