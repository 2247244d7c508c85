#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

namespace cqrs {

/// Writes compact JSON as UTF-8 straight into a QByteArray: byte for byte
/// what QJsonDocument(object).toJson(QJsonDocument::Compact) writes for the
/// same object, provided each object's keys are written in ascending order
/// (the order QJsonObject keeps them in).
///
/// The write path builds every event payload and every idempotency answer
/// with it. Going through QJsonObject and QJsonDocument (QCborValue
/// underneath) cost more CPU per order than SQLite itself; readers still
/// parse the text with QJsonDocument, and tst_jsonwriter checks both agree.
///
///     JsonWriter json(&buffer);
///     json.beginObject();
///     json.key("id").value(qint64(12));
///     json.key("lines").beginArray();
///     ...
///     json.endArray();
///     json.endObject();
class JsonWriter final
{
public:
    /// Appends to *out (which is not cleared).
    explicit JsonWriter(QByteArray* out)
        : m_out(out)
    {
    }

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    /// A key of the object being written: plain ASCII that needs no escaping
    /// (the payloads' field names), written as is.
    JsonWriter& key(QLatin1StringView name);
    JsonWriter& key(const char* name) { return key(QLatin1StringView(name)); }

    JsonWriter& value(qint64 number);
    JsonWriter& value(int number) { return value(qint64(number)); }
    JsonWriter& value(QStringView text);
    /// Text that is UTF-8 already (e.g. as SQLite returns it). Invalid UTF-8
    /// is written as QString::fromUtf8 would decode it.
    JsonWriter& valueUtf8(QByteArrayView utf8);

    /// A JSON string literal for `text`, as QJsonDocument escapes it.
    static void appendString(QByteArray* out, QStringView text);
    static void appendUtf8String(QByteArray* out, QByteArrayView utf8);

private:
    void separate();

    QByteArray* m_out;
    // One bit per open container: set once it holds an element, so the next
    // one needs a comma. 64 levels is far deeper than any payload.
    quint64 m_hasElement = 0;
    int m_depth = 0;
    bool m_afterKey = false;
};

} // namespace cqrs
