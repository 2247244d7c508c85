#include "events/jsonwriter.h"

#include <QString>

#include <charconv>

namespace cqrs {

namespace {

char hexDigit(uint value)
{
    return char(value < 10 ? '0' + value : 'a' + value - 10);
}

void appendUnicodeEscape(QByteArray* out, uint unit)
{
    const char escape[] = {'\\', 'u', hexDigit((unit >> 12) & 0xf), hexDigit((unit >> 8) & 0xf),
                           hexDigit((unit >> 4) & 0xf), hexDigit(unit & 0xf)};
    out->append(escape, sizeof escape);
}

// ASCII as QJsonDocument writes it: quote, backslash and the control
// characters escaped (the short forms where JSON has one), the rest as is.
void appendAscii(QByteArray* out, uchar c)
{
    if (c >= 0x20 && c != '"' && c != '\\') {
        out->append(char(c));
        return;
    }
    switch (c) {
    case '"':
        out->append("\\\"", 2);
        return;
    case '\\':
        out->append("\\\\", 2);
        return;
    case '\b':
        out->append("\\b", 2);
        return;
    case '\f':
        out->append("\\f", 2);
        return;
    case '\n':
        out->append("\\n", 2);
        return;
    case '\r':
        out->append("\\r", 2);
        return;
    case '\t':
        out->append("\\t", 2);
        return;
    default:
        appendUnicodeEscape(out, c);
    }
}

} // namespace

void JsonWriter::appendString(QByteArray* out, QStringView text)
{
    out->reserve(out->size() + text.size() + 2);
    out->append('"');
    const char16_t* p = text.utf16();
    const char16_t* const end = p + text.size();
    while (p < end) {
        const char16_t unit = *p++;
        if (unit < 0x80) {
            appendAscii(out, uchar(unit));
        } else if (unit < 0x800) {
            const char bytes[] = {char(0xc0 | (unit >> 6)), char(0x80 | (unit & 0x3f))};
            out->append(bytes, 2);
        } else if (QChar::isHighSurrogate(unit) && p < end && QChar::isLowSurrogate(*p)) {
            const char32_t code = QChar::surrogateToUcs4(unit, *p++);
            const char bytes[] = {char(0xf0 | (code >> 18)), char(0x80 | ((code >> 12) & 0x3f)),
                                  char(0x80 | ((code >> 6) & 0x3f)), char(0x80 | (code & 0x3f))};
            out->append(bytes, 4);
        } else if (QChar::isSurrogate(unit)) {
            // A lone surrogate has no UTF-8 form; QJsonDocument escapes it.
            appendUnicodeEscape(out, unit);
        } else {
            const char bytes[] = {char(0xe0 | (unit >> 12)), char(0x80 | ((unit >> 6) & 0x3f)),
                                  char(0x80 | (unit & 0x3f))};
            out->append(bytes, 3);
        }
    }
    out->append('"');
}

void JsonWriter::appendUtf8String(QByteArray* out, QByteArrayView utf8)
{
    if (!utf8.isValidUtf8()) {
        appendString(out, QString::fromUtf8(utf8));
        return;
    }
    out->reserve(out->size() + utf8.size() + 2);
    out->append('"');
    // Multi-byte sequences are copied as they are; only ASCII needs escapes.
    const char* p = utf8.data();
    const char* const end = p + utf8.size();
    while (p < end) {
        const char* run = p;
        while (p < end && (uchar(*p) >= 0x80 || (uchar(*p) >= 0x20 && *p != '"' && *p != '\\')))
            ++p;
        out->append(run, p - run);
        if (p < end)
            appendAscii(out, uchar(*p++));
    }
    out->append('"');
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_depth == 0)
        return;
    const quint64 bit = quint64(1) << (m_depth - 1);
    if (m_hasElement & bit)
        m_out->append(',');
    m_hasElement |= bit;
}

JsonWriter& JsonWriter::beginObject()
{
    separate();
    m_out->append('{');
    ++m_depth;
    Q_ASSERT(m_depth <= 64);
    m_hasElement &= ~(quint64(1) << (m_depth - 1));
    return *this;
}

JsonWriter& JsonWriter::endObject()
{
    Q_ASSERT(m_depth > 0 && !m_afterKey);
    --m_depth;
    m_out->append('}');
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    separate();
    m_out->append('[');
    ++m_depth;
    Q_ASSERT(m_depth <= 64);
    m_hasElement &= ~(quint64(1) << (m_depth - 1));
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    Q_ASSERT(m_depth > 0 && !m_afterKey);
    --m_depth;
    m_out->append(']');
    return *this;
}

JsonWriter& JsonWriter::key(QLatin1StringView name)
{
    Q_ASSERT(!m_afterKey);
    separate();
    m_out->append('"');
    m_out->append(name.data(), name.size());
    m_out->append("\":", 2);
    m_afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(qint64 number)
{
    separate();
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, number);
    m_out->append(digits, result.ptr - digits);
    return *this;
}

JsonWriter& JsonWriter::value(QStringView text)
{
    separate();
    appendString(m_out, text);
    return *this;
}

JsonWriter& JsonWriter::valueUtf8(QByteArrayView utf8)
{
    separate();
    appendUtf8String(m_out, utf8);
    return *this;
}

} // namespace cqrs
