package shortcode

import "slices"

// words are the code's vocabulary: 256 short, distinct, easy-to-say words,
// so two words carry 16 bits (the PAKE makes that enough: one guess per code).
var words = [...]string{
	"acorn", "amber", "anchor", "apple", "apron", "arrow", "aspen", "attic",
	"badger", "bagel", "bakery", "bamboo", "banjo", "barley", "basket", "beacon",
	"beaver", "bicycle", "biscuit", "blanket", "blossom", "bonfire", "bramble", "bread",
	"breeze", "brick", "bridge", "broom", "bucket", "bumble", "butter", "button",
	"cabin", "cactus", "candle", "canoe", "canyon", "carrot", "castle", "cedar",
	"cello", "chalk", "cherry", "chestnut", "chimney", "cider", "cinnamon", "circus",
	"clover", "cobble", "coconut", "comet", "compass", "copper", "cotton", "cousin",
	"coyote", "crayon", "cricket", "crumpet", "cupboard", "daisy", "dandelion", "denim",
	"dolphin", "donkey", "dragon", "drum", "dumpling", "eagle", "ember", "falcon",
	"feather", "fennel", "ferry", "fiddle", "fig", "firefly", "flannel", "flute",
	"fossil", "fountain", "fox", "garden", "garlic", "gecko", "ginger", "glacier",
	"goblin", "goose", "granite", "grape", "gravel", "guitar", "hammock", "harbor",
	"harvest", "hazel", "hedgehog", "heron", "hickory", "honey", "hopscotch", "horizon",
	"husky", "igloo", "indigo", "island", "ivy", "jackal", "jasmine", "jelly",
	"jigsaw", "juniper", "kayak", "kettle", "kiwi", "koala", "ladder", "lagoon",
	"lantern", "lava", "lemon", "lentil", "lilac", "lime", "linen", "lizard",
	"lobster", "locket", "lotus", "lullaby", "magnet", "mango", "maple", "marble",
	"meadow", "melon", "mitten", "moose", "mosaic", "muffin", "mushroom", "nectar",
	"nettle", "noodle", "nutmeg", "oasis", "oatmeal", "ocean", "olive", "onion",
	"orbit", "orchard", "otter", "owl", "oyster", "paddle", "pancake", "panda",
	"papaya", "parsley", "peach", "peanut", "pebble", "pelican", "pepper", "pickle",
	"pigeon", "pillow", "pine", "pirate", "pizza", "planet", "plum", "pocket",
	"pony", "popcorn", "porch", "potato", "pretzel", "puddle", "pumpkin", "puzzle",
	"quail", "quartz", "quilt", "rabbit", "radish", "rainbow", "raisin", "raven",
	"ribbon", "river", "robin", "rocket", "rosemary", "ruby", "saddle", "saffron",
	"sailor", "salmon", "sandal", "sausage", "scarf", "seagull", "shadow", "shell",
	"sherbet", "shovel", "silver", "skillet", "sleigh", "sparrow", "spinach", "spoon",
	"sprout", "squirrel", "starfish", "stone", "sugar", "summit", "sunflower", "swan",
	"teapot", "thistle", "thunder", "tiger", "timber", "toffee", "tomato", "topaz",
	"tortoise", "trumpet", "tulip", "turnip", "turtle", "tuxedo", "umbrella", "valley",
	"velvet", "violet", "waffle", "walnut", "walrus", "willow", "window", "winter",
	"wizard", "yarrow", "yogurt", "zebra", "zigzag", "puffin", "tangerine", "whistle",
}

func isWord(w string) bool { return slices.Contains(words[:], w) }
