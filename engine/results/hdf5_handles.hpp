#pragma once
// A small RAII layer over the HDF5 1.10 C API: identifiers are closed in destructors, failures
// become h5::Error naming the HDF5 object path, and HDF5 never prints its error stack itself.
//
// This header deliberately does not include <hdf5.h>: HDF5's include path is private to the
// engine library, and the CLI and the tests (which read results files back) must use these
// wrappers without it. Identifiers are therefore plain 64-bit integers here (hid_t in 1.10,
// checked in the .cpp), and the C++ -> HDF5 type trait lives in the .cpp, where the templates
// below are explicitly instantiated for the Numeric types.

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cohortsim::h5 {

using Id = std::int64_t;  // hid_t

// An HDF5 call failed. The message names the operation, the object path and HDF5's own reason.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The element types datasets and attributes can hold (see TypeOf in the .cpp).
template <typename T>
concept Numeric = std::same_as<T, double> || std::same_as<T, std::int32_t> ||
    std::same_as<T, std::int64_t> || std::same_as<T, std::uint64_t>;

// Owns one identifier and closes it with the function that matches its kind.
class Handle {
  public:
    enum class Kind : unsigned char { file, object, dataspace, datatype, attribute, plist };

    Handle() = default;
    Handle(Kind kind, Id id) noexcept : kind_(kind), id_(id) {}
    Handle(Handle&& other) noexcept;
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    Id get() const noexcept { return id_; }
    bool valid() const noexcept { return id_ >= 0; }

    // Closes now and throws on failure: closing a file flushes it, so its errors matter.
    void close(std::string_view path);

  private:
    void reset() noexcept;

    Kind kind_ = Kind::object;
    Id id_ = -1;
};

// A group or dataset, with its path in the file for error messages.
class Object {
  public:
    Id id() const noexcept { return handle_.get(); }
    const std::string& path() const noexcept { return path_; }
    bool has_attribute(std::string_view name) const;
    std::string child_path(std::string_view name) const;

  protected:
    Object(Handle handle, std::string path) : handle_(std::move(handle)), path_(std::move(path)) {}

  private:
    Handle handle_;
    std::string path_;
};

class Dataset : public Object {
  public:
    Dataset(Handle handle, std::string path) : Object(std::move(handle), std::move(path)) {}

    std::vector<std::uint64_t> shape() const;
    template <Numeric T>
    std::vector<T> read() const;  // all elements, row-major, converted to T

    // Makes this dataset the dimension scale called `dimension` (H5DSset_scale).
    void make_scale(std::string_view dimension);
    bool is_scale() const;
    // Attaches `scale` to dimension `dim` of this dataset (H5DSattach_scale).
    void attach_scale(const Dataset& scale, unsigned dim);
    // Paths of the scales attached to dimension `dim`.
    std::vector<std::string> attached_scales(unsigned dim) const;
};

class Group : public Object {
  public:
    Group(Handle handle, std::string path) : Object(std::move(handle), std::move(path)) {}

    // New groups track link and attribute creation order, so readers list children in the
    // order they were written (metrics in the engine's order) rather than alphabetically.
    Group create_group(std::string_view name) const;
    Group open_group(std::string_view name) const;
    Dataset open_dataset(std::string_view name) const;

    enum class ChildKind { group, dataset, other };
    std::vector<std::string> children() const;  // link names, in name order
    ChildKind child_kind(std::string_view name) const;
};

class File {
  public:
    // Creates (truncating) a file; its root group tracks creation order like create_group.
    static File create(const std::filesystem::path& path);
    static File open_read_only(const std::filesystem::path& path);

    Group root() const;
    const std::string& name() const noexcept { return name_; }
    // Flushes and closes, throwing on failure. Fails if any object in the file is still open,
    // which catches a handle that outlives its file.
    void close();

  private:
    File(Handle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}

    Handle handle_;
    std::string name_;
};

// Strings are stored as scalar variable-length UTF-8, which h5py and xarray read as str.
void write_attribute(const Object& object, std::string_view name, std::string_view value);
template <Numeric T>
void write_attribute(const Object& object, std::string_view name, T value);  // scalar

std::string read_string_attribute(const Object& object, std::string_view name);
template <Numeric T>
T read_attribute(const Object& object, std::string_view name);  // scalar, converted to T

template <Numeric T>
struct DatasetOptions {
    // HDF5 fill value, and a _FillValue attribute so that netCDF readers mask those cells.
    std::optional<T> fill = std::nullopt;
    // Chunked, shuffled and deflated: for large arrays such as paths.
    bool compress = false;
};

// `data` is row-major with the given shape; throws std::invalid_argument if the sizes differ.
template <Numeric T>
Dataset write_dataset(const Group& parent, std::string_view name, std::span<const T> data,
                      const std::vector<std::uint64_t>& shape,
                      const DatasetOptions<T>& options = {});

template <Numeric T>
Dataset write_dataset(const Group& parent, std::string_view name, const std::vector<T>& data,
                      const std::vector<std::uint64_t>& shape,
                      const DatasetOptions<T>& options = {}) {
    return write_dataset(parent, name, std::span<const T>(data), shape, options);
}

}  // namespace cohortsim::h5
