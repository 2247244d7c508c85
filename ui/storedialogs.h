#pragma once

#include <QString>

class QMessageBox;
class QWidget;

namespace cqrs::ui {

/// The store could not be opened: the cause, Retry and Close, and the way
/// out through Reset. Window-modal (open() it; no nested event loop).
QMessageBox* openFailureBox(QWidget* window, const QString& error);

/// Reset demo data? Names the folder and what goes: the files only when the
/// store could not be opened, else every order, the knobs and the traffic.
/// Yes accepts; window-modal.
QMessageBox* resetQuestionBox(QWidget* window, const QString& dataDirectory, bool storeUnreadable);

} // namespace cqrs::ui
