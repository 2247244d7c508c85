#include "ui/storedialogs.h"

#include <QDir>
#include <QMessageBox>

namespace cqrs::ui {

QMessageBox* openFailureBox(QWidget* window, const QString& error)
{
    auto* box = new QMessageBox(QMessageBox::Critical, QMessageBox::tr("CQRS Lab"),
                                QMessageBox::tr("<p>The write store could not be opened.</p><p>%1</p>"
                                                "<p>Fix the cause and choose <b>Retry</b>, or choose <b>File › Reset "
                                                "demo data</b> to delete the store and start a fresh one.</p>")
                                    .arg(error.toHtmlEscaped()),
                                QMessageBox::Retry | QMessageBox::Close, window);
    box->setObjectName(QStringLiteral("openFailure"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Retry);
    return box;
}

QMessageBox* resetQuestionBox(QWidget* window, const QString& dataDirectory, bool storeUnreadable)
{
    const QString folder = QDir::toNativeSeparators(dataDirectory);
    const QString question =
        storeUnreadable ? QMessageBox::tr("The store in %1 could not be opened. Delete its files (write.db, read.db) "
                                          "and start again from the demo catalog?")
                              .arg(folder)
                        : QMessageBox::tr("Delete every order and event in %1 and start again from the demo catalog? "
                                          "Every knob goes back to its default and the simulated traffic stops.")
                              .arg(folder);
    auto* box = new QMessageBox(QMessageBox::Question, QMessageBox::tr("Reset demo data"), question,
                                QMessageBox::Yes | QMessageBox::No, window);
    box->setObjectName(QStringLiteral("resetQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::No);
    return box;
}

} // namespace cqrs::ui
