#pragma once

// Typing as a person does, any text: QTest::keyClicks() only knows ASCII,
// so other characters arrive as key events that carry just their text.
#include <QApplication>
#include <QTest>
#include <QWidget>

namespace cqrs::test {

inline void typeText(QWidget* widget, const QString& text)
{
    for (const QChar ch : text) {
        if (ch.unicode() < 0x80 && ch.unicode() >= 0x20)
            QTest::keyClick(widget, char(ch.unicode()));
        else
            QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, QString(ch), Qt::NoModifier);
    }
}

/// A key as the keyboard delivers it: to the open pop-up (a completer's,
/// say) if there is one, else to `widget`.
inline void pressKey(QWidget* widget, Qt::Key key)
{
    QWidget* popup = QApplication::activePopupWidget();
    QTest::keyClick(popup ? popup : widget, key);
}

} // namespace cqrs::test
