"""File sources: CSV, Excel, JSON / JSON Lines and Parquet, in a local folder or under an S3 prefix.

One code path per format, whatever the location::

    connector.py   FileConnector: check / discover / preview / read for every file source
    stream.py      the files a spec names -> one stream of bounded record batches
    location.py    Location protocol; LocalLocation (confined to the allowed roots)
    objectstore.py S3Location (boto3), used by dataops.connectors.s3
    patterns.py    globs over slash-separated keys (same meaning locally and on S3)
    inference.py   column types: inferred from the first block, overridden per column
    csv.py, excel.py, jsonfile.py (+ jsonarray.py), parquet.py
                   one format each: its reader, its options, its local connector type
    rejects.py, csv_rejects.py, json_rejects.py
                   reads that send bad records to ReadStats.rejects and go on
"""
