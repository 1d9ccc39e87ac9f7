"""Draw the synthetic cartoon faces of the virtual cards (no real person). Run to regenerate:
`.venv/bin/python assets/simulator/faces/make_faces.py`."""
import random
from PIL import Image, ImageDraw, ImageFilter

def face(path, seed, skin, hair, shirt, size=(240, 320), quality=85, texture=0, long_hair=False):
    rnd = random.Random(seed)
    w, h = size
    im = Image.new("RGB", size, (236, 240, 245))
    d = ImageDraw.Draw(im)
    if long_hair:
        d.rounded_rectangle([w*0.17, h*0.2, w*0.83, h*0.78], radius=30, fill=hair)
    d.rectangle([0, int(h*0.8), w, h], fill=shirt)
    d.ellipse([w*0.18, h*0.75, w*0.82, h*1.2], fill=shirt)
    d.rectangle([w*0.42, h*0.62, w*0.58, h*0.8], fill=skin)
    d.ellipse([w*0.22, h*0.15, w*0.78, h*0.7], fill=skin)
    d.pieslice([w*0.2, h*0.1, w*0.8, h*0.5], 180, 360, fill=hair)
    for ex in (0.38, 0.62):
        d.ellipse([w*ex-10, h*0.38-6, w*ex+10, h*0.38+6], fill=(255, 255, 255))
        d.ellipse([w*ex-5, h*0.38-5, w*ex+5, h*0.38+5], fill=(40, 30, 20))
    d.line([w*0.5, h*0.42, w*0.47, h*0.5, w*0.52, h*0.5], fill=(150, 100, 80), width=2)
    d.arc([w*0.4, h*0.5, w*0.6, h*0.6], 20, 160, fill=(150, 60, 60), width=3)
    if texture:
        px = im.load()
        for _ in range(texture):
            x, y = rnd.randrange(w), rnd.randrange(h)
            r, g, b = px[x, y]
            n = rnd.randint(-25, 25)
            px[x, y] = (max(0, min(255, r+n)), max(0, min(255, g+n)), max(0, min(255, b+n)))
    im = im.filter(ImageFilter.SMOOTH)
    im.save(path, "JPEG", quality=quality)

from pathlib import Path

base = str(Path(__file__).resolve().parent) + "/"
face(base+"face-a.jpg", 1, (224, 182, 150), (30, 25, 20), (40, 70, 140))
face(base+"face-b.jpg", 2, (232, 190, 160), (20, 15, 15), (180, 40, 60), long_hair=True)
face(base+"face-c.jpg", 3, (210, 170, 140), (40, 30, 25), (30, 110, 80), long_hair=True)
face(base+"face-d.jpg", 4, (215, 178, 150), (200, 200, 200), (90, 90, 90))
