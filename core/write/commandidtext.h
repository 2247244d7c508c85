#pragma once

#include <QByteArrayView>
#include <QUuid>

namespace cqrs {

/// A command id as QUuid::toString(QUuid::WithoutBraces) writes it, on the
/// stack: the write path binds it with the idempotency lookup, the
/// idempotency row and every event, without a QString.
class CommandIdText final
{
public:
    explicit CommandIdText(const QUuid& id)
    {
        static constexpr char digits[] = "0123456789abcdef";
        char* out = m_text;
        const auto hex = [&out](quint64 value, int nibbles) {
            for (int shift = 4 * (nibbles - 1); shift >= 0; shift -= 4)
                *out++ = digits[(value >> shift) & 0xf];
        };
        hex(id.data1, 8);
        *out++ = '-';
        hex(id.data2, 4);
        *out++ = '-';
        hex(id.data3, 4);
        *out++ = '-';
        hex(id.data4[0], 2);
        hex(id.data4[1], 2);
        *out++ = '-';
        for (int i = 2; i < 8; ++i)
            hex(id.data4[i], 2);
    }

    /// The 36 characters; valid as long as this object.
    QByteArrayView view() const { return QByteArrayView(m_text, sizeof m_text); }

private:
    char m_text[36];
};

} // namespace cqrs
