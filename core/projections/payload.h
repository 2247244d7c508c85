#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QLatin1StringView>

namespace cqrs::payload {

inline qint64 integer(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1StringView(key)).toInteger();
}
inline QString text(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1StringView(key)).toString();
}
inline QJsonArray array(const QJsonObject& object, const char* key)
{
    return object.value(QLatin1StringView(key)).toArray();
}

} // namespace cqrs::payload
