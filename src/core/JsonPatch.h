#pragma once

#include "core/Error.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace repl {

// Reads the fields present in a PUT body onto a configuration (merge semantics: absent keys
// keep their value). A present field of the wrong type or range throws the caller's error,
// naming the field.
class JsonPatchReader final
{
public:
    using ErrorFactory = std::function<Error(const QString &field, const QString &why)>;

    JsonPatchReader(const QJsonObject &patch, ErrorFactory invalid)
        : m_patch(patch)
        , m_invalid(std::move(invalid))
    {}

    void boolean(const char *name, bool &out) const;
    void string(const char *name, QString &out) const; // null counts as absent
    void number(const char *name, double &out) const;  // non-negative
    void count(const char *name, qint64 &out, const QString &hint = {}) const; // integer ≥ 0

private:
    QJsonObject m_patch;
    ErrorFactory m_invalid;
};

} // namespace repl
