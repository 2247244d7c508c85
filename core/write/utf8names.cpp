#include "write/utf8names.h"

namespace cqrs {

QByteArrayView Utf8Names::utf8(const QString& name)
{
    auto known = m_names.constFind(name);
    if (known == m_names.cend())
        known = m_names.insert(name, name.toUtf8());
    // The bytes live on the heap: a rehash moves the QByteArray, not them.
    return *known;
}

} // namespace cqrs
