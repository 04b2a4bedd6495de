"""Types rows into a zhijiao import template in LibreOffice Calc, as a person would, and saves the workbook as
xlsx and xls: how the files in tests/fixtures/office/*-template-typed.* were made. Not run by the tests (CI has no
office software); run by hand with Debian's LibreOffice and python3-uno:

    soffice --headless --invisible --norestore --accept="socket,host=127.0.0.1,port=2002;urp;" &
    zhijiao template schools --out /tmp/schools-template.xlsx
    /usr/bin/python3 scripts/type_into_template.py /tmp/schools-template.xlsx TYPED.json OUT_BASE

TYPED.json is a list of rows, each a list of what is typed into each cell from row 2 on ("" = nothing typed).
Each cell is typed through Calc's input line (.uno:EnterString), which reads the text by the cell's format, as
typing does; the API's setFormula would not (it makes 0105 a number even in a Text cell).
"""

import json
import sys

import uno  # Debian's python3-uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(template, typed, out_base):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=2002;urp;StarOffice.ComponentContext")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(template), "_blank", 0, (prop("Hidden", True),))
    sheet = doc.Sheets.getByIndex(0)
    controller = doc.getCurrentController()
    dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    with open(typed, encoding="utf-8") as handle:
        rows = json.load(handle)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if text != "":
                controller.select(sheet.getCellByPosition(c, r))
                dispatcher.executeDispatch(controller.getFrame(), ".uno:EnterString", "", 0, (prop("StringName", text),))
    for r in range(1, len(rows) + 1):  # what Calc made of each typed cell: TEXT or VALUE, as shown
        print([(sheet.getCellByPosition(c, r).getType().value, sheet.getCellByPosition(c, r).getString())
               for c in range(len(rows[0]))])
    doc.storeToURL(uno.systemPathToFileUrl(out_base + ".xlsx"), (prop("FilterName", "Calc Office Open XML"),))
    doc.storeToURL(uno.systemPathToFileUrl(out_base + ".xls"), (prop("FilterName", "MS Excel 97"),))
    doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
