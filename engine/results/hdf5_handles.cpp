#include "hdf5_handles.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <type_traits>
#include <utility>

namespace cohortsim::h5 {

static_assert(std::is_same_v<hid_t, Id>, "h5::Id must be HDF5's hid_t");

namespace {

// C++ type -> (in-memory type, type stored in the file). Files are always little-endian with
// fixed widths, so they read the same on any machine.
template <typename T>
struct TypeOf;
template <>
struct TypeOf<double> {
    static hid_t memory() { return H5T_NATIVE_DOUBLE; }
    static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct TypeOf<std::int32_t> {
    static hid_t memory() { return H5T_NATIVE_INT32; }
    static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct TypeOf<std::int64_t> {
    static hid_t memory() { return H5T_NATIVE_INT64; }
    static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct TypeOf<std::uint64_t> {
    static hid_t memory() { return H5T_NATIVE_UINT64; }
    static hid_t file() { return H5T_STD_U64LE; }
};

// Turns off HDF5's printing of its error stack for the duration of one wrapper call: failures
// are reported as exceptions instead. Restores the previous setting, which is per thread.
class Quiet {
  public:
    Quiet() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~Quiet() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;

  private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

herr_t collect_message(unsigned, const H5E_error2_t* error, void* messages) {
    if (error->desc != nullptr && error->desc[0] != '\0') {
        static_cast<std::vector<std::string>*>(messages)->emplace_back(error->desc);
    }
    return 0;
}

// The most specific message on HDF5's error stack: it names the actual cause ("name already
// exists", "No such file or directory") where the outer ones only repeat the operation.
std::string hdf5_reason() {
    std::vector<std::string> messages;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_message, &messages);
    H5Eclear2(H5E_DEFAULT);
    return messages.empty() ? std::string("unknown HDF5 error") : messages.front();
}

[[noreturn]] void fail(std::string_view what, std::string_view path) {
    throw Error("HDF5: cannot " + std::string(what) + " '" + std::string(path) +
                "': " + hdf5_reason());
}

void check(herr_t status, std::string_view what, std::string_view path) {
    if (status < 0) fail(what, path);
}

Handle checked(Handle::Kind kind, hid_t id, std::string_view what, std::string_view path) {
    if (id < 0) fail(what, path);
    return Handle(kind, id);
}

std::string attribute_path(const Object& object, std::string_view name) {
    return object.path() + "@" + std::string(name);
}

Handle utf8_string_type(std::string_view path) {
    Handle type = checked(Handle::Kind::datatype, H5Tcopy(H5T_C_S1), "copy string type", path);
    check(H5Tset_size(type.get(), H5T_VARIABLE), "size string type", path);
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set UTF-8 on string type", path);
    return type;
}

// Link and attribute creation order on groups and files: children are listed as written.
void track_creation_order(hid_t plist, std::string_view path) {
    const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    check(H5Pset_link_creation_order(plist, flags), "track link creation order", path);
    check(H5Pset_attr_creation_order(plist, flags), "track attribute creation order", path);
}

std::vector<hsize_t> to_hsize(const std::vector<std::uint64_t>& shape) {
    return {shape.begin(), shape.end()};
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
    }
    return text + ")";
}

// Chunks of about 1 MiB: whole rows, so one replication's path or one month series reads in
// one go.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims, std::size_t element_size) {
    constexpr hsize_t target_bytes = hsize_t{1} << 20;
    std::vector<hsize_t> chunk = dims;
    hsize_t row_bytes = element_size;
    for (std::size_t i = 1; i < dims.size(); ++i)
        row_bytes *= dims[i];
    chunk[0] = std::clamp<hsize_t>(target_bytes / std::max<hsize_t>(row_bytes, 1), 1, dims[0]);
    return chunk;
}

}  // namespace

// ---- Handle --------------------------------------------------------------------------------

Handle::Handle(Handle&& other) noexcept
    : kind_(other.kind_), id_(std::exchange(other.id_, H5I_INVALID_HID)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        reset();
        kind_ = other.kind_;
        id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
}

namespace {
herr_t close_id(Handle::Kind kind, hid_t id) {
    switch (kind) {
        case Handle::Kind::file:
            return H5Fclose(id);
        case Handle::Kind::object:
            return H5Oclose(id);
        case Handle::Kind::dataspace:
            return H5Sclose(id);
        case Handle::Kind::datatype:
            return H5Tclose(id);
        case Handle::Kind::attribute:
            return H5Aclose(id);
        case Handle::Kind::plist:
            return H5Pclose(id);
    }
    return -1;
}
}  // namespace

void Handle::reset() noexcept {
    if (id_ < 0) return;
    Quiet quiet;
    close_id(kind_, std::exchange(id_, H5I_INVALID_HID));
}

void Handle::close(std::string_view path) {
    if (id_ < 0) return;
    Quiet quiet;
    check(close_id(kind_, std::exchange(id_, H5I_INVALID_HID)), "close", path);
}

// ---- Object, Dataset, Group ----------------------------------------------------------------

std::string Object::child_path(std::string_view name) const {
    return (path_ == "/" ? path_ : path_ + "/") + std::string(name);
}

bool Object::has_attribute(std::string_view name) const {
    Quiet quiet;
    const htri_t exists = H5Aexists(id(), std::string(name).c_str());
    if (exists < 0) fail("look up attribute", attribute_path(*this, name));
    return exists > 0;
}

std::vector<std::uint64_t> Dataset::shape() const {
    Quiet quiet;
    Handle space = checked(Handle::Kind::dataspace, H5Dget_space(id()), "get dataspace", path());
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail("get rank", path());
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "get shape", path());
    return {dims.begin(), dims.end()};
}

template <Numeric T>
std::vector<T> Dataset::read() const {
    std::uint64_t size = 1;
    for (std::uint64_t n : shape())
        size *= n;
    std::vector<T> values(size);
    Quiet quiet;
    if (size > 0) {
        check(H5Dread(id(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "read dataset", path());
    }
    return values;
}

void Dataset::make_scale(std::string_view dimension) {
    Quiet quiet;
    check(H5DSset_scale(id(), std::string(dimension).c_str()), "make dimension scale", path());
}

bool Dataset::is_scale() const {
    Quiet quiet;
    const htri_t scale = H5DSis_scale(id());
    if (scale < 0) fail("check for dimension scale", path());
    return scale > 0;
}

void Dataset::attach_scale(const Dataset& scale, unsigned dim) {
    Quiet quiet;
    check(H5DSattach_scale(id(), scale.id(), dim),
          "attach scale '" + scale.path() + "' to dimension " + std::to_string(dim) + " of",
          path());
}

namespace {
herr_t collect_scale_path(hid_t, unsigned, hid_t scale, void* paths) {
    const ssize_t size = H5Iget_name(scale, nullptr, 0);
    if (size < 0) return -1;
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    H5Iget_name(scale, name.data(), name.size());
    name.resize(static_cast<std::size_t>(size));
    static_cast<std::vector<std::string>*>(paths)->push_back(std::move(name));
    return 0;
}
}  // namespace

std::vector<std::string> Dataset::attached_scales(unsigned dim) const {
    Quiet quiet;
    std::vector<std::string> paths;
    const int count = H5DSget_num_scales(id(), dim);
    if (count < 0) fail("count scales of dimension " + std::to_string(dim) + " of", path());
    if (count > 0) {
        check(H5DSiterate_scales(id(), dim, nullptr, collect_scale_path, &paths),
              "list scales of dimension " + std::to_string(dim) + " of", path());
    }
    return paths;
}

Group Group::create_group(std::string_view name) const {
    Quiet quiet;
    const std::string path = child_path(name);
    Handle gcpl =
        checked(Handle::Kind::plist, H5Pcreate(H5P_GROUP_CREATE), "create property list", path);
    track_creation_order(gcpl.get(), path);
    return Group(
        checked(Handle::Kind::object,
                H5Gcreate2(id(), std::string(name).c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                "create group", path),
        path);
}

Group Group::open_group(std::string_view name) const {
    Quiet quiet;
    const std::string path = child_path(name);
    return Group(
        checked(Handle::Kind::object, H5Gopen2(id(), std::string(name).c_str(), H5P_DEFAULT),
                "open group", path),
        path);
}

Dataset Group::open_dataset(std::string_view name) const {
    Quiet quiet;
    const std::string path = child_path(name);
    return Dataset(
        checked(Handle::Kind::object, H5Dopen2(id(), std::string(name).c_str(), H5P_DEFAULT),
                "open dataset", path),
        path);
}

std::vector<std::string> Group::children() const {
    Quiet quiet;
    H5G_info_t info;
    check(H5Gget_info(id(), &info), "list", path());
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t size =
            H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (size < 0) fail("list", path());
        std::string name(static_cast<std::size_t>(size) + 1, '\0');
        H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(size));
        names.push_back(std::move(name));
    }
    return names;
}

Group::ChildKind Group::child_kind(std::string_view name) const {
    Quiet quiet;
    // H5Oopen + H5Iget_type rather than H5Oget_info, whose signature changed between 1.10
    // releases.
    Handle object =
        checked(Handle::Kind::object, H5Oopen(id(), std::string(name).c_str(), H5P_DEFAULT), "open",
                child_path(name));
    switch (H5Iget_type(object.get())) {
        case H5I_GROUP:
            return ChildKind::group;
        case H5I_DATASET:
            return ChildKind::dataset;
        default:
            return ChildKind::other;
    }
}

// ---- File ----------------------------------------------------------------------------------

// HDF5 closes what is still open in an atexit handler; after a failed write (disk full) that
// handler crashed closing the dataset whose close had failed. Every object here is closed by
// its RAII owner, so the handler is not needed: turn it off before the library's first use.
void prepare_library() {
    static const bool prepared = [] {
        H5dont_atexit();
        return true;
    }();
    (void)prepared;
}

File File::create(const std::filesystem::path& path) {
    prepare_library();
    Quiet quiet;
    const std::string name = path.string();
    Handle fcpl =
        checked(Handle::Kind::plist, H5Pcreate(H5P_FILE_CREATE), "create property list for", name);
    track_creation_order(fcpl.get(), name);
    Handle fapl =
        checked(Handle::Kind::plist, H5Pcreate(H5P_FILE_ACCESS), "create property list for", name);
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "set close degree for", name);
    return File(
        checked(Handle::Kind::file, H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                "create file", name),
        name);
}

File File::open_read_only(const std::filesystem::path& path) {
    prepare_library();
    Quiet quiet;
    const std::string name = path.string();
    return File(checked(Handle::Kind::file, H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                        "open file", name),
                name);
}

Group File::root() const {
    Quiet quiet;
    return Group(checked(Handle::Kind::object, H5Gopen2(handle_.get(), "/", H5P_DEFAULT),
                         "open root group of", name_),
                 "/");
}

void File::close() {
    if (!handle_.valid()) return;
    {
        Quiet quiet;
        check(H5Fflush(handle_.get(), H5F_SCOPE_GLOBAL), "flush file", name_);
    }
    handle_.close(name_);
}

// ---- Attributes and datasets ---------------------------------------------------------------

void write_attribute(const Object& object, std::string_view name, std::string_view value) {
    Quiet quiet;
    const std::string path = attribute_path(object, name);
    Handle type = utf8_string_type(path);
    Handle space =
        checked(Handle::Kind::dataspace, H5Screate(H5S_SCALAR), "create dataspace for", path);
    Handle attribute = checked(Handle::Kind::attribute,
                               H5Acreate2(object.id(), std::string(name).c_str(), type.get(),
                                          space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               "create attribute", path);
    const std::string text(value);
    const char* pointer = text.c_str();
    check(H5Awrite(attribute.get(), type.get(), &pointer), "write attribute", path);
}

template <Numeric T>
void write_attribute(const Object& object, std::string_view name, T value) {
    Quiet quiet;
    const std::string path = attribute_path(object, name);
    Handle space =
        checked(Handle::Kind::dataspace, H5Screate(H5S_SCALAR), "create dataspace for", path);
    Handle attribute = checked(Handle::Kind::attribute,
                               H5Acreate2(object.id(), std::string(name).c_str(), TypeOf<T>::file(),
                                          space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               "create attribute", path);
    check(H5Awrite(attribute.get(), TypeOf<T>::memory(), &value), "write attribute", path);
}

namespace {
Handle open_scalar_attribute(const Object& object, std::string_view name, const std::string& path) {
    Handle attribute = checked(Handle::Kind::attribute,
                               H5Aopen(object.id(), std::string(name).c_str(), H5P_DEFAULT),
                               "open attribute", path);
    Handle space =
        checked(Handle::Kind::dataspace, H5Aget_space(attribute.get()), "get dataspace of", path);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) {
        throw Error("HDF5: attribute '" + path + "' is not a single value");
    }
    return attribute;
}
}  // namespace

std::string read_string_attribute(const Object& object, std::string_view name) {
    Quiet quiet;
    const std::string path = attribute_path(object, name);
    Handle attribute = open_scalar_attribute(object, name, path);
    Handle type =
        checked(Handle::Kind::datatype, H5Aget_type(attribute.get()), "get type of", path);
    if (H5Tget_class(type.get()) != H5T_STRING) {
        throw Error("HDF5: attribute '" + path + "' is not a string");
    }
    const htri_t variable = H5Tis_variable_str(type.get());
    if (variable < 0) fail("get string kind of", path);
    if (variable > 0) {
        char* pointer = nullptr;
        check(H5Aread(attribute.get(), type.get(), &pointer), "read attribute", path);
        std::string text = pointer != nullptr ? pointer : "";
        H5free_memory(pointer);
        return text;
    }
    // Fixed-length (as H5DS writes CLASS and NAME): padded with NULs or spaces.
    std::string text(H5Tget_size(type.get()), '\0');
    check(H5Aread(attribute.get(), type.get(), text.data()), "read attribute", path);
    text.resize(std::min(text.find('\0'), text.size()));
    if (H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD) {
        text.erase(text.find_last_not_of(' ') + 1);
    }
    return text;
}

template <Numeric T>
T read_attribute(const Object& object, std::string_view name) {
    Quiet quiet;
    const std::string path = attribute_path(object, name);
    Handle attribute = open_scalar_attribute(object, name, path);
    T value{};
    check(H5Aread(attribute.get(), TypeOf<T>::memory(), &value), "read attribute", path);
    return value;
}

template <Numeric T>
Dataset write_dataset(const Group& parent, std::string_view name, std::span<const T> data,
                      const std::vector<std::uint64_t>& shape, const DatasetOptions<T>& options) {
    const std::string path = parent.child_path(name);
    std::uint64_t size = 1;
    for (std::uint64_t n : shape)
        size *= n;
    if (size != data.size()) {
        throw std::invalid_argument("dataset '" + path + "': " + std::to_string(data.size()) +
                                    " values for shape " + shape_text(shape) + " (" +
                                    std::to_string(size) + " values)");
    }
    Dataset dataset = [&] {
        Quiet quiet;
        const std::vector<hsize_t> dims = to_hsize(shape);
        Handle space =
            checked(Handle::Kind::dataspace,
                    H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                    "create dataspace for", path);
        Handle dcpl = checked(Handle::Kind::plist, H5Pcreate(H5P_DATASET_CREATE),
                              "create property list for", path);
        const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
        check(H5Pset_attr_creation_order(dcpl.get(), order), "track attribute order of", path);
        if (options.fill) {
            const T fill = *options.fill;
            check(H5Pset_fill_value(dcpl.get(), TypeOf<T>::memory(), &fill), "set fill value of",
                  path);
        }
        const bool can_compress =
            !dims.empty() && size > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
        if (options.compress && can_compress) {
            const std::vector<hsize_t> chunk = chunk_shape(dims, sizeof(T));
            check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
                  "set chunking of", path);
            check(H5Pset_shuffle(dcpl.get()), "set shuffle filter of", path);
            check(H5Pset_deflate(dcpl.get(), 4), "set deflate filter of", path);
        }
        Handle id = checked(Handle::Kind::object,
                            H5Dcreate2(parent.id(), std::string(name).c_str(), TypeOf<T>::file(),
                                       space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                            "create dataset", path);
        if (size > 0) {
            check(
                H5Dwrite(id.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
                "write dataset", path);
        }
        return Dataset(std::move(id), path);
    }();
    // netCDF readers (xarray, h5netcdf) mask cells equal to the _FillValue attribute, which
    // must have the variable's type.
    if (options.fill) write_attribute(dataset, "_FillValue", *options.fill);
    return dataset;
}

// The templates above, for every Numeric type.
#define COHORTSIM_H5_INSTANTIATE(T)                                                       \
    template std::vector<T> Dataset::read<T>() const;                                     \
    template void write_attribute<T>(const Object&, std::string_view, T);                 \
    template T read_attribute<T>(const Object&, std::string_view);                        \
    template Dataset write_dataset<T>(const Group&, std::string_view, std::span<const T>, \
                                      const std::vector<std::uint64_t>&,                  \
                                      const DatasetOptions<T>&);
COHORTSIM_H5_INSTANTIATE(double)
COHORTSIM_H5_INSTANTIATE(std::int32_t)
COHORTSIM_H5_INSTANTIATE(std::int64_t)
COHORTSIM_H5_INSTANTIATE(std::uint64_t)
#undef COHORTSIM_H5_INSTANTIATE

}  // namespace cohortsim::h5
