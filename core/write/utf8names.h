#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

namespace cqrs {

/// The UTF-8 of the few names the write path binds with every command (event
/// type, origin, command kind), converted once each. Bound as UTF-16, SQLite
/// would allocate and convert them again for every statement.
class Utf8Names final
{
public:
    /// The UTF-8 of `name`; the bytes stay valid as long as this object.
    QByteArrayView utf8(const QString& name);

private:
    QHash<QString, QByteArray> m_names;
};

} // namespace cqrs
