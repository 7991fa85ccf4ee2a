# %% [markdown]
# # Triage a moderation export with Watchword
#
# A notebook in the percent format (`# %%` cells): open it in Jupyter
# (jupytext), VS Code or Spyder and run it cell by cell, or run it whole:
#
#     python3 examples/analyst_notebook.py --out /tmp/triage
#
# It loads a CSV export of chat messages, scans them with a bundled
# Watchword ruleset, builds a DataFrame of what matched (one row per match,
# `watchword.to_dataframe()`), tables the flagged messages by rule and
# category, and plots them per category. Needs the `watchword` package,
# pandas and matplotlib (Debian: python3-pandas python3-matplotlib).

# %%
import argparse
import pathlib

import matplotlib
matplotlib.use("Agg")  # No display needed: the plot goes to a PNG.
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import watchword  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent if "__file__" in globals() else pathlib.Path("examples")
parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--csv", default=str(HERE / "moderation_export.csv"),
                    help="the export: a header row, columns message_id and "
                    "body, optional context columns")
parser.add_argument("--ruleset", default="child_safety",
                    help="a bundled ruleset name, or a ruleset path")
parser.add_argument("--out", default=".", help="where the PNG and CSV go")
args, _ = parser.parse_known_args()  # Jupyter passes its own arguments.
out = pathlib.Path(args.out)
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Load the export
# Every column is kept as text; empty cells stay empty strings.

# %%
export = pd.read_csv(args.csv, dtype=str, keep_default_na=False)
print(f"{len(export)} messages, columns: {', '.join(export.columns)}")

# %% [markdown]
# ## Scan
# One request per row: the id, the body, and the age bands as context (the
# rules that weigh who talks to whom need them). `scan_many` keeps the
# input order.

# %%
ruleset = (watchword.rulesets.path(args.ruleset)
           if args.ruleset in watchword.rulesets.names() else args.ruleset)
engine = watchword.compile(ruleset)
items = [{"id": row.message_id, "text": row.body,
          "context": {key: getattr(row, key) for key in
                      ("sender_age_band", "recipient_age_band")
                      if getattr(row, key, "")}}
         for row in export.itertuples()]
verdicts = engine.scan_many(items, threads=2)
flagged_count = sum(watchword.flagged(v) for v in verdicts)
print(f"{flagged_count} of {len(verdicts)} messages flagged by {engine.info.name}")

# %% [markdown]
# ## What matched
# One row per match; `char_begin:char_end` index the message as Python
# str, so the matched words can be cut out even in fullwidth or emoji text.

# %%
matches = watchword.to_dataframe(verdicts, texts=items)
matches["matched"] = [
    text[b:e] if pd.notna(b) else ""
    for text, b, e in zip(matches.request_id.map(dict(zip(export.message_id, export.body))),
                          matches.char_begin, matches.char_end)]
print(matches[["request_id", "rule_id", "term_id", "matched"]].to_string(index=False))

# %% [markdown]
# ## Flagged messages by rule and category

# %%
by_rule = (matches.groupby(["category", "rule_id", "action"])
           .request_id.nunique().rename("messages").reset_index()
           .sort_values(["messages", "category", "rule_id"],
                        ascending=[False, True, True]))
by_rule.to_csv(out / "flagged_by_rule.csv", index=False)
print(by_rule.to_string(index=False))

# %% [markdown]
# ## Flagged messages per category

# %%
per_category = matches.groupby("category").request_id.nunique().sort_values()
fig, ax = plt.subplots(figsize=(7, 0.4 * len(per_category) + 1.5))
per_category.plot.barh(ax=ax, color="#4a6fa5")
ax.set_xlabel("flagged messages")
ax.set_ylabel("")
ax.set_title(f"{pathlib.Path(args.csv).name}: flagged messages per category")
fig.tight_layout()
fig.savefig(out / "flagged_by_category.png", dpi=100)
print(f"wrote {out / 'flagged_by_category.png'} and {out / 'flagged_by_rule.csv'}")
