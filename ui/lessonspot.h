#pragma once

#include <QColor>

namespace cqrs::ui {

/// The colour of "the lesson points here": diagram parts and charts.
inline QColor lessonSpotColour() {
    return QColor(0xd9, 0x7a, 0x00);
}

} // namespace cqrs::ui
